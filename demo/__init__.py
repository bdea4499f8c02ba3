"""Demo data: the demo manual (``demo.manual``) and the revision round (``demo.round``)."""
