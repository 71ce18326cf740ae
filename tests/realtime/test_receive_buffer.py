from aiortc import RTCPeerConnection
from aiortc.rtp import RtpPacket

from therapy_desktop.realtime.receive_buffer import _ATTRIBUTE, OpusPacketOrder, shorten_audio_receive_buffers


def _packet(sequence: int, timestamp: int) -> RtpPacket:
    packet = RtpPacket(payload_type=111, sequence_number=sequence & 0xFFFF, timestamp=timestamp & 0xFFFFFFFF)
    packet._data = bytes([sequence & 0xFF])  # what the receiver depayloads before adding
    return packet


async def test_the_audio_receiver_gets_the_speech_buffer():
    pc = RTCPeerConnection()
    pc.addTransceiver("audio")
    shorten_audio_receive_buffers(pc)
    assert isinstance(getattr(pc.getTransceivers()[0].receiver, _ATTRIBUTE), OpusPacketOrder)
    await pc.close()


def test_each_packet_is_a_frame_handed_on_at_once():
    order = OpusPacketOrder()
    for sequence in range(5):
        loss, frame = order.add(_packet(sequence, sequence * 960))
        assert not loss and frame is not None
        assert frame.timestamp == sequence * 960 and frame.data == bytes([sequence])


def test_a_gap_is_handed_on_and_a_late_or_repeated_packet_dropped():
    order = OpusPacketOrder()
    handed = [order.add(_packet(s, s * 960))[1] is not None for s in (10, 11, 13, 12, 13, 14)]
    assert handed == [True, True, True, False, False, True]  # 12 came after 13: too late to play
    assert order.late == 1 and order.repeated == 1


def test_sequence_numbers_wrap_and_a_restarted_stream_is_followed():
    order = OpusPacketOrder()
    assert all(order.add(_packet(s, s * 960))[1] is not None for s in (65534, 65535, 65536, 65537))
    assert order.add(_packet(65_530, 0))[1] is None  # 7 behind the wrapped 1: late
    restarted = OpusPacketOrder()
    restarted.add(_packet(1000, 0))
    assert restarted.add(_packet(990, 0))[1] is None  # 10 behind: a late packet
    assert restarted.add(_packet(500, 0))[1] is not None  # 500 behind: the sender restarted its stream
    assert restarted.add(_packet(501, 960))[1] is not None
