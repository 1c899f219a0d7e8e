// The models Glimpse knows by name, and the assets shipped with it.
