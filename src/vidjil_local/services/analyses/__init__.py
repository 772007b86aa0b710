"""Analyses: the configs and germline sets they use, and the `analysis` job by role: launched in
the app (`launch`, `params`), worked in the job's child process (`work`), recorded back in the
app (`record`)."""
