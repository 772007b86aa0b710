"""Sample sets (patients, runs, generic sets) and their samples: metadata, streamed uploads,
files linked from the network file source, deletion."""
