"""Use-cases shared by the API, the job workers and the command line."""
