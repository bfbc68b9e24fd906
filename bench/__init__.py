"""`make bench`: a synthetic catalog generator and the benchmark that builds it at several sizes."""
