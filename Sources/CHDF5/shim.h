// HDF5's C library, serial build (Debian libhdf5-dev), for Keras weight files.
// Included by its full path: the serial headers live outside the default search path.
#include <hdf5/serial/hdf5.h>
