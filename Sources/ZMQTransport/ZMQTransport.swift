// The five ZeroMQ sockets of a Jupyter kernel and the heartbeat thread.
