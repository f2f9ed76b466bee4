"""The evaluation feature: running evaluators for enterprises, their inputs, history, batch re-scoring, API and CLI."""
