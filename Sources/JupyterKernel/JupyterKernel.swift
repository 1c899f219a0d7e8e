// The Jupyter protocol state machine between a language and a transport.
