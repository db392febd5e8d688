// Stage: Features
