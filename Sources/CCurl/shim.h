// libcurl (Debian libcurl4-openssl-dev), for downloading Keras weight files.
#include <curl/curl.h>
