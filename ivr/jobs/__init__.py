"""The worker: claims due jobs from the database, runs them, records the outcome, backs off. It knows nothing of
e-mail; a job names a function (its kind) and its arguments."""
