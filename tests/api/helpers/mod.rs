//! What the API tests share: a real server per test (`app`), content to import, and campaigns
//! with a candidate signed in, each test on its own database and live-store prefix.
mod app;
mod campaigns;
mod candidates;
mod content;
mod faults;
mod records;

pub use app::*;
pub use campaigns::*;
pub use candidates::*;
pub use content::*;
pub use faults::*;
pub use records::*;
