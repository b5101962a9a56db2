//! Validation of objects as the API server does it (in progress).
