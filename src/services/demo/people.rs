//! The demo's synthetic people: the identity every one of them gets (a well-formed NIP and the
//! birth date it encodes), and the participants of the synthetic results campaign: job level,
//! position, unit and education as a regency's assessment would enrol them, and the latent
//! standing their answers and SKP ratings are drawn from. Pure: the same seed and count give the
//! same people.
use super::draw::Draw;
use crate::domain::education::Education;
use crate::domain::job_standard::JobLevel;

/// The identity of the demo's `i`-th synthetic person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntheticId {
    /// An 18-digit NIP whose parts all make sense: birth date, appointment (23 years after the
    /// birth year), sex, and a sequence from 001 to 999.
    pub nip: String,
    /// The birth year the NIP encodes.
    pub birth_year: u32,
    /// The birth date the NIP encodes, as `YYYY-MM-DD`.
    pub birth_date: String,
}

/// The `i`-th synthetic person's NIP and birth date. Birth years run over 1975–1999 and the
/// sequence over 001–999, so the first 1000 people all have different numbers (the demo's open
/// campaign takes its candidates from the start, the results campaign from
/// [`FIRST_RESULTS_PERSON`]).
pub fn synthetic_id(i: u32) -> SyntheticId {
    let year = 1975 + (i * 7) % 25;
    let month = 1 + (i * 5) % 12;
    let day = 1 + (i * 11) % 28;
    let appointed = year + 23;
    let sex = 1 + i % 2;
    let seq = 1 + i % 999;
    SyntheticId {
        nip: format!(
            "{year:04}{month:02}{day:02}{appointed:04}{:02}{sex}{seq:03}",
            1 + i % 12
        ),
        birth_year: year,
        birth_date: format!("{year:04}-{month:02}-{day:02}"),
    }
}

/// The person number the results campaign's first participant has: after every candidate the
/// open campaign may enrol, so nobody is in both.
pub const FIRST_RESULTS_PERSON: u32 = super::MAX_DEMO_CANDIDATES;

/// What drives a synthetic participant's answers and ratings, each on a standard-normal scale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Latent {
    /// General cognitive ability: the three reasoning tests load on it, the situational
    /// judgement test a little.
    pub general: f64,
    /// Judgement in work situations: what the situational judgement scales share.
    pub judgement: f64,
    /// Work performance, which the SKP ratings are drawn from; it goes with both of the above.
    pub performance: f64,
}

/// A participant of the synthetic results campaign.
#[derive(Debug, Clone, PartialEq)]
pub struct Participant {
    /// 1, 2, …: the number in the name and what every draw about this person is keyed by.
    pub number: u32,
    /// NIP and birth date.
    pub id: SyntheticId,
    /// "Peserta Sintetis 001": nobody takes it for a real person.
    pub name: String,
    /// Highest education.
    pub education: Education,
    /// Job level; every one used has a seeded job standard.
    pub job_level: JobLevel,
    /// Position (jabatan).
    pub position: String,
    /// Work unit, as "OPD / sub-unit" (the head of an OPD: the OPD alone).
    pub unit: String,
    /// The latent standing the answers and ratings come from.
    pub latent: Latent,
}

/// A regional government agency (OPD) of the demo's regency, with its divisions and the
/// functional posts found there.
struct Opd {
    name: &'static str,
    head: &'static str,
    divisions: &'static [&'static str],
    expert_posts: &'static [&'static str],
}

const OPDS: [Opd; 7] = [
    Opd {
        name: "Sekretariat Daerah",
        head: "Asisten Administrasi Umum",
        divisions: &["Bagian Organisasi", "Bagian Hukum", "Bagian Umum"],
        expert_posts: &["Analis Kebijakan", "Perancang Peraturan Perundang-undangan"],
    },
    Opd {
        name: "Dinas Pendidikan",
        head: "Kepala Dinas Pendidikan",
        divisions: &[
            "Bidang Pembinaan Sekolah Dasar",
            "Bidang Pembinaan Sekolah Menengah Pertama",
            "Bidang Pendidik dan Tenaga Kependidikan",
        ],
        expert_posts: &["Analis Kebijakan", "Perencana"],
    },
    Opd {
        name: "Dinas Kesehatan",
        head: "Kepala Dinas Kesehatan",
        divisions: &[
            "Bidang Pelayanan Kesehatan",
            "Bidang Pencegahan dan Pengendalian Penyakit",
            "Bidang Sumber Daya Kesehatan",
        ],
        expert_posts: &[
            "Epidemiolog Kesehatan",
            "Administrator Kesehatan",
            "Penyuluh Kesehatan Masyarakat",
        ],
    },
    Opd {
        name: "Dinas Pekerjaan Umum dan Penataan Ruang",
        head: "Kepala Dinas Pekerjaan Umum dan Penataan Ruang",
        divisions: &[
            "Bidang Bina Marga",
            "Bidang Sumber Daya Air",
            "Bidang Penataan Ruang",
        ],
        expert_posts: &["Teknik Jalan dan Jembatan", "Penata Ruang"],
    },
    Opd {
        name: "Dinas Kependudukan dan Pencatatan Sipil",
        head: "Kepala Dinas Kependudukan dan Pencatatan Sipil",
        divisions: &[
            "Bidang Pelayanan Pendaftaran Penduduk",
            "Bidang Pelayanan Pencatatan Sipil",
        ],
        expert_posts: &["Administrator Database Kependudukan", "Pranata Komputer"],
    },
    Opd {
        name: "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        head: "Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        divisions: &[
            "Bidang Pengembangan Kompetensi",
            "Bidang Mutasi dan Promosi",
        ],
        expert_posts: &[
            "Analis Sumber Daya Manusia Aparatur",
            "Asesor Sumber Daya Manusia Aparatur",
        ],
    },
    Opd {
        name: "Badan Perencanaan Pembangunan Daerah",
        head: "Kepala Badan Perencanaan Pembangunan Daerah",
        divisions: &[
            "Bidang Perencanaan Ekonomi",
            "Bidang Perencanaan Infrastruktur dan Kewilayahan",
        ],
        expert_posts: &["Perencana", "Statistisi"],
    },
];

/// Functional posts of the skilled track, found in every OPD.
const SKILLED_POSTS: [&str; 3] = [
    "Arsiparis",
    "Pranata Komputer",
    "Pranata Hubungan Masyarakat",
];
/// Implementing posts (jabatan pelaksana).
const IMPLEMENTING_POSTS: [&str; 4] = [
    "Pengadministrasi Perkantoran",
    "Penata Layanan Operasional",
    "Operator Layanan Operasional",
    "Pengelola Layanan Operasional",
];
/// Supervisory posts in a division, and in a secretariat.
const SECTION_HEADS: [&str; 3] = [
    "Kepala Seksi Perencanaan dan Evaluasi",
    "Kepala Seksi Pembinaan",
    "Kepala Seksi Pelayanan",
];
const SUBDIVISION_HEADS: [&str; 3] = [
    "Kepala Subbagian Umum dan Kepegawaian",
    "Kepala Subbagian Keuangan",
    "Kepala Subbagian Perencanaan dan Pelaporan",
];

/// A job level of the roster: how often it is drawn in each age band (born up to 1982, 1983–1990,
/// from 1991: nobody heads an agency at 30, few are first-grade experts at 50), how far above the
/// average its holders' abilities lie, and their education.
struct Post {
    level: JobLevel,
    weights: [u32; 3],
    ability: f64,
    education: &'static [(Education, u32)],
}

/// The mix follows the one-day assessment of a regency in DOMAIN.md (two fifths administrators
/// and senior functional staff, half supervisors and junior functional staff, the rest
/// implementing staff), with a few agency heads.
const POSTS: [Post; 10] = [
    Post {
        level: JobLevel::JptPratama,
        weights: [12, 0, 0],
        ability: 0.5,
        education: &[(Education::S2, 4), (Education::S3, 1)],
    },
    Post {
        level: JobLevel::Administrator,
        weights: [40, 20, 0],
        ability: 0.3,
        education: &[(Education::S2, 3), (Education::S1, 2)],
    },
    Post {
        level: JobLevel::AhliMadya,
        weights: [22, 8, 0],
        ability: 0.3,
        education: &[(Education::S2, 7), (Education::S1, 3)],
    },
    Post {
        level: JobLevel::Pengawas,
        weights: [10, 34, 12],
        ability: 0.1,
        education: &[(Education::S1, 14), (Education::D4, 3), (Education::S2, 3)],
    },
    Post {
        level: JobLevel::AhliMuda,
        weights: [6, 20, 12],
        ability: 0.15,
        education: &[(Education::S1, 3), (Education::S2, 2)],
    },
    Post {
        level: JobLevel::AhliPertama,
        weights: [0, 4, 36],
        ability: 0.05,
        education: &[(Education::S1, 9), (Education::D4, 1)],
    },
    Post {
        level: JobLevel::Penyelia,
        weights: [4, 4, 0],
        ability: -0.1,
        education: &[(Education::D3, 4), (Education::D4, 1)],
    },
    Post {
        level: JobLevel::Mahir,
        weights: [0, 4, 6],
        ability: -0.2,
        education: &[(Education::D3, 1)],
    },
    Post {
        level: JobLevel::Terampil,
        weights: [0, 0, 12],
        ability: -0.2,
        education: &[(Education::D3, 1)],
    },
    Post {
        level: JobLevel::Pelaksana,
        weights: [6, 6, 22],
        ability: -0.3,
        education: &[(Education::Sma, 8), (Education::D3, 7), (Education::S1, 5)],
    },
];

/// The age band of a birth year, as [`Post::weights`] counts them.
fn age_band(birth_year: u32) -> usize {
    match birth_year {
        ..=1982 => 0,
        1983..=1990 => 1,
        _ => 2,
    }
}

/// The `n` participants of the results campaign, drawn under `seed`.
pub fn roster(seed: u64, n: u32) -> Vec<Participant> {
    (1..=n).map(|number| participant(seed, number)).collect()
}

fn participant(seed: u64, number: u32) -> Participant {
    let mut d = Draw::new(seed, &format!("person:{number}"));
    let id = synthetic_id(FIRST_RESULTS_PERSON + number - 1);
    let band = age_band(id.birth_year);
    let eligible: Vec<(&Post, u32)> = POSTS
        .iter()
        .filter(|p| p.weights[band] > 0)
        .map(|p| (p, p.weights[band]))
        .collect();
    let post = *d.weighted(&eligible);
    let education = *d.weighted(post.education);
    let opd = &OPDS[d.below(OPDS.len())];
    let division = opd.divisions[d.below(opd.divisions.len())];
    let secretariat = match opd.name {
        "Sekretariat Daerah" => "Bagian Umum",
        _ => "Sekretariat",
    };
    let in_secretariat = d.chance(0.25);
    let grade = post.level.name();
    let (position, unit) = match post.level {
        JobLevel::JptPratama => (opd.head.to_owned(), opd.name.to_owned()),
        JobLevel::Administrator if in_secretariat && opd.name != "Sekretariat Daerah" => {
            (format!("Sekretaris {}", opd.name), secretariat.to_owned())
        }
        JobLevel::Administrator => (format!("Kepala {division}"), division.to_owned()),
        JobLevel::Pengawas if in_secretariat => (
            SUBDIVISION_HEADS[d.below(SUBDIVISION_HEADS.len())].to_owned(),
            secretariat.to_owned(),
        ),
        JobLevel::Pengawas => (
            SECTION_HEADS[d.below(SECTION_HEADS.len())].to_owned(),
            division.to_owned(),
        ),
        JobLevel::Pelaksana => (
            IMPLEMENTING_POSTS[d.below(IMPLEMENTING_POSTS.len())].to_owned(),
            if in_secretariat {
                secretariat
            } else {
                division
            }
            .to_owned(),
        ),
        JobLevel::Penyelia | JobLevel::Mahir | JobLevel::Terampil => (
            format!("{} {grade}", SKILLED_POSTS[d.below(SKILLED_POSTS.len())]),
            if in_secretariat {
                secretariat
            } else {
                division
            }
            .to_owned(),
        ),
        _ => (
            format!(
                "{} {grade}",
                opd.expert_posts[d.below(opd.expert_posts.len())]
            ),
            division.to_owned(),
        ),
    };
    let unit = if post.level == JobLevel::JptPratama {
        unit
    } else {
        format!("{} / {unit}", opd.name)
    };
    let general = post.ability + d.normal();
    let judgement = 0.5 * post.ability + d.normal();
    let performance = 0.3 * general + 0.3 * judgement + 0.9 * d.normal();
    Participant {
        number,
        name: format!("Peserta Sintetis {number:03}"),
        id,
        education,
        job_level: post.level,
        position,
        unit,
        latent: Latent {
            general,
            judgement,
            performance,
        },
    }
}

/// The enrolment file of the participants, as HR would upload it.
pub fn enrolment_csv(people: &[Participant]) -> String {
    let mut csv = String::from("nip,name,birth_date,education,job_level,position,unit\n");
    for p in people {
        csv.push_str(&format!(
            "{},{},{},{},{},{},{}\n",
            p.id.nip,
            p.name,
            p.id.birth_date,
            p.education.as_str(),
            p.job_level.name(),
            p.position,
            p.unit
        ));
    }
    csv
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::enrolment::parse_participants;
    use std::collections::{BTreeMap, HashSet};

    fn today() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
    }

    #[test]
    fn the_first_thousand_synthetic_people_have_different_valid_nips_matching_their_birth_dates() {
        let mut seen = HashSet::new();
        for i in 0..1000 {
            let id = synthetic_id(i);
            let nip = crate::domain::nip::Nip::parse_as_of(&id.nip, today())
                .unwrap_or_else(|e| panic!("{i}: {e}"));
            assert_eq!(
                nip.birth_date().format("%Y-%m-%d").to_string(),
                id.birth_date
            );
            assert!(seen.insert(id.nip), "person {i} has a NIP someone else has");
        }
    }

    #[test]
    fn the_roster_enrols_whole_through_the_enrolment_file_reader() {
        let people = roster(
            super::super::draw::DEMO_SEED,
            super::super::MAX_DEMO_RESULTS,
        );
        let rows = parse_participants(enrolment_csv(&people).as_bytes(), today())
            .unwrap_or_else(|e| panic!("{:?}", e.errors.first()));
        assert_eq!(rows.len(), people.len());
        assert_eq!(rows[0].name, "Peserta Sintetis 001");
        assert_eq!(rows[999].name, "Peserta Sintetis 1000");
        let open: HashSet<String> = (0..super::super::MAX_DEMO_CANDIDATES)
            .map(|i| synthetic_id(i).nip)
            .collect();
        assert!(
            rows.iter().all(|r| !open.contains(r.nip.as_str())),
            "nobody is also a candidate of the open campaign"
        );
    }

    #[test]
    fn the_roster_spreads_over_job_levels_units_and_education_with_older_people_in_higher_posts() {
        let people = roster(super::super::draw::DEMO_SEED, 200);
        let mut levels: BTreeMap<&str, usize> = BTreeMap::new();
        for p in &people {
            *levels.entry(p.job_level.name()).or_default() += 1;
        }
        assert!(levels.len() >= 8, "{levels:?}");
        let senior = ["JPT Pratama", "Administrator", "Ahli Madya"]
            .iter()
            .map(|l| levels.get(l).copied().unwrap_or(0))
            .sum::<usize>();
        assert!((50..=90).contains(&senior), "{levels:?}");
        assert!(levels["JPT Pratama"] >= 4, "{levels:?}");
        assert!(levels["Pengawas"] >= 30, "{levels:?}");
        let opds: HashSet<&str> = people
            .iter()
            .map(|p| p.unit.split(" / ").next().unwrap())
            .collect();
        assert_eq!(opds.len(), OPDS.len());
        assert!(people
            .iter()
            .filter(|p| p.job_level != JobLevel::JptPratama)
            .all(|p| p.unit.contains(" / ")));
        let educations: HashSet<Education> = people.iter().map(|p| p.education).collect();
        assert!(educations.len() >= 5, "{educations:?}");
        assert!(people
            .iter()
            .filter(|p| p.job_level == JobLevel::JptPratama)
            .all(|p| p.id.birth_year <= 1982
                && p.unit == OPDS.iter().find(|o| o.head == p.position).unwrap().name));
    }

    #[test]
    fn the_same_seed_gives_the_same_people_and_another_seed_others() {
        assert_eq!(roster(7, 30), roster(7, 30));
        assert_eq!(roster(7, 30)[..10], roster(7, 10)[..]);
        let other = roster(8, 30);
        assert_ne!(
            roster(7, 30)
                .iter()
                .map(|p| p.latent.general)
                .collect::<Vec<_>>(),
            other.iter().map(|p| p.latent.general).collect::<Vec<_>>()
        );
        assert_eq!(
            other[0].id,
            roster(7, 30)[0].id,
            "identities do not depend on the seed"
        );
    }
}
