"""The fault suite: business flows through the running platform while things break.

`python -m tests.chaos` (`make chaos`: 1,000 flows a scenario) prints, per scenario, the
flows started, events seen, flows lost, effects duplicated, messages parked and the time
to drain; it exits 1 unless lost and duplicated are 0. `make test` runs a short form.
"""
