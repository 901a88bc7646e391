"""The reference data shipped with uprdex, read through `uprdex.pipeline.resources`."""
