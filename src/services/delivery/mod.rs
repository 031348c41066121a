//! Test delivery to candidates: sign-in with an access code, consent, timed sections, answers,
//! submission and finish, the page's stream and its integrity signals. The server owns the clock
//! (invariant 3); items reach the browser without keys (invariant 4); an answer is acknowledged
//! only once committed (invariant 1). The attempt's own rules live in
//! [`crate::services::attempt`].
pub mod answers;
pub mod page;
pub mod practice;
pub mod sections;
pub mod sign_in;
pub mod signals;
pub mod views;

pub use answers::{answer, AnswerBody, AnswerSaved};
pub use page::{dismiss, page_opened};
pub use practice::{practice, PracticeBody, PracticeResult};
pub use sections::{asset, finish, section, start_section, submit_section};
pub use sign_in::{attempt, consent, login, CandidateLogin, CandidateSession};
pub use signals::{signal, SignalBody};
pub use views::{
    AttemptView, CampaignSummary, OrganisationSummary, ParticipantSummary, SavedResponse,
    SectionSummary, SectionView,
};
