// Stage: Recognizer
