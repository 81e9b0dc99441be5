//! Best-practice rules for lean, secure multi-stage images (hadolint-like), each
//! answering to its hadolint code where one exists. One file per rule; register each
//! in `rules::RULES` under "Best practice".
