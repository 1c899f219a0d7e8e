// OpenSSL's libcrypto (Debian libssl-dev), for HMAC-SHA256 and constant-time comparison.
#include <openssl/hmac.h>
#include <openssl/evp.h>
#include <openssl/crypto.h>
