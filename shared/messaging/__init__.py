"""RabbitMQ plumbing: the CloudEvents codec, topology, confirmed publishing, handlers."""
