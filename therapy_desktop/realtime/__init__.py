"""The OpenAI Realtime GA client over WebRTC: keys, the call, typed events. No Qt."""
