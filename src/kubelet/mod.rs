//! The kubelet's pod lifecycle as a sans-IO state machine (in progress).
