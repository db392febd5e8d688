// Stage: Runtime
