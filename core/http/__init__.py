"""The HTTP plumbing every controller shares: dependencies, the bearer-token middleware, the error handler and its OpenAPI description, liveness."""
