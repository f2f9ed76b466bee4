"""Pull: everything changed since a cursor that the device user may see, in pages, with tombstones."""
