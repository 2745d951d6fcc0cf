//! Stage 7: writing the graph in the formats people use.
//!
//! Every writer takes any [`std::io::Write`] and returns I/O errors instead of panicking.

mod dot;
mod json;

pub use dot::{dot_quote, render_dot, write_dot, DotOptions, Layout};
pub use json::{from_node_link, node_link, read_json, write_json, GraphMeta, JsonEdge, JsonNode, NodeLink};
