// Stage: Evaluation
