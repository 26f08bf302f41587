"""`ocop import`: a province's historical records into the platform, through its HTTP API
(so the same checks apply and the same events go out), resumable and checkable dry."""
