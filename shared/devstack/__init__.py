"""Start the platform's processes on one machine: for `make run` and the end-to-end tests."""
