"""`make bench`: measurements, never assertions (see docs/performance.md)."""

import warnings

# nameko 2.14 needs eventlet, which announces its own deprecation on import
warnings.filterwarnings("ignore", message="\nEventlet is deprecated")
