// libzmq (Debian libzmq3-dev). Declared without pkg-config: its .pc adds -isystem flags SwiftPM rejects.
#include <zmq.h>
