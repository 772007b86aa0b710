"""Results: clone lists, result records and files, saved `.analysis` versions, and the fused
multi-sample result of each set with its `fuse` job (queued and recorded in `fused`, worked in
`fuse_work`)."""
