//! The API server's defaulting (in progress).
