from aiortc import RTCPeerConnection

from therapy_desktop.realtime.receive_buffer import _ATTRIBUTE, shorten_audio_receive_buffers


async def test_the_audio_receiver_buffers_two_packets_instead_of_four():
    pc = RTCPeerConnection()
    pc.addTransceiver("audio")
    shorten_audio_receive_buffers(pc)
    buffer = getattr(pc.getTransceivers()[0].receiver, _ATTRIBUTE)
    assert buffer._prefetch == 2 and buffer.capacity == 16
    await pc.close()
