// Stage: AudioIO
