//! The processes a run watches (`--process NAME=PID`): their CPU and resident memory, read from
//! `/proc`.
use anyhow::Context;

/// A process whose CPU and memory the run reports.
pub struct Watched {
    pub name: String,
    pub pid: u32,
}

pub fn parse_processes(list: &[String]) -> anyhow::Result<Vec<Watched>> {
    list.iter()
        .map(|p| {
            let (name, pid) = p.split_once('=').context("--process wants NAME=PID")?;
            Ok(Watched {
                name: name.to_owned(),
                pid: pid.parse().context("--process wants NAME=PID")?,
            })
        })
        .collect()
}

/// Resident memory of a process in KiB.
pub fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// CPU seconds a process has used (user + system).
pub fn cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The fields after the command name, which may hold spaces.
    let mut fields = stat.rsplit_once(')')?.1.split_whitespace().skip(11);
    let utime: f64 = fields.next()?.parse().ok()?;
    let stime: f64 = fields.next()?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

/// CPU seconds used by every running process whose command is `name` (PostgreSQL's postmaster
/// and one backend per connection, say). A process that exits between two readings takes its
/// seconds with it, so the difference of two readings is a floor.
pub fn cpu_seconds_of_all(name: &str) -> f64 {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return 0.0;
    };
    dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/comm"))
                .is_ok_and(|comm| comm.trim_end() == name)
        })
        .filter_map(cpu_seconds)
        .sum()
}

/// The CPU each watched process, every PostgreSQL process together and this generator used
/// between two readings.
pub struct CpuReading {
    watched: Vec<Option<f64>>,
    postgres: f64,
    generator: Option<f64>,
    machine: Option<f64>,
}

impl CpuReading {
    pub fn take(watched: &[Watched]) -> CpuReading {
        CpuReading {
            watched: watched.iter().map(|w| cpu_seconds(w.pid)).collect(),
            postgres: cpu_seconds_of_all("postgres"),
            generator: cpu_seconds(std::process::id()),
            machine: machine_busy_seconds(),
        }
    }

    /// "name N%, …" of one core each, from `self` (the earlier reading) to `later` over
    /// `seconds`; the machine's figure is every core's busy time, the kernel's included.
    pub fn describe(&self, later: &CpuReading, watched: &[Watched], seconds: f64) -> String {
        let pct = |a: f64, b: f64| format!("{:.0}%", (b - a) / seconds * 100.0);
        let mut parts: Vec<String> = watched
            .iter()
            .zip(self.watched.iter().zip(&later.watched))
            .map(|(w, pair)| match pair {
                (Some(a), Some(b)) => format!("{} {}", w.name, pct(*a, *b)),
                _ => format!("{} stopped", w.name),
            })
            .collect();
        parts.push(format!("postgres {}", pct(self.postgres, later.postgres)));
        if let (Some(a), Some(b)) = (self.generator, later.generator) {
            parts.push(format!("generator {}", pct(a, b)));
        }
        if let (Some(a), Some(b)) = (self.machine, later.machine) {
            parts.push(format!("machine busy {}", pct(a, b)));
        }
        parts.join(", ")
    }
}

/// Seconds every core of the machine has spent on anything but idling and waiting for disks,
/// from the first line of `/proc/stat` (in clock ticks of 1/100 s).
fn machine_busy_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let ticks: Vec<f64> = stat
        .lines()
        .next()?
        .split_whitespace()
        .skip(1)
        .filter_map(|t| t.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal …
    let busy: f64 = ticks.iter().take(8).sum::<f64>() - ticks.get(3)? - ticks.get(4)?;
    Some(busy / 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_watched_process_is_named_then_its_pid() {
        let watched = parse_processes(&["node1=42".to_owned()]).unwrap();
        assert_eq!((watched[0].name.as_str(), watched[0].pid), ("node1", 42));
        assert!(parse_processes(&["node1".to_owned()]).is_err());
        assert!(parse_processes(&["node1=x".to_owned()]).is_err());
    }

    #[test]
    fn this_process_has_resident_memory_and_a_cpu_reading_and_a_gone_one_has_neither() {
        let me = std::process::id();
        assert!(rss_kib(me).is_some_and(|k| k > 0));
        assert!(cpu_seconds(me).is_some_and(|s| s >= 0.0));
        // Above the kernel's largest pid (4,194,304): no such process.
        assert_eq!(rss_kib(u32::MAX), None);
        assert_eq!(cpu_seconds(u32::MAX), None);
    }

    #[test]
    fn the_cpu_of_every_process_of_a_name_adds_this_one_for_its_own_name() {
        let comm = std::fs::read_to_string("/proc/self/comm").unwrap();
        let mine = cpu_seconds(std::process::id()).unwrap();
        // Every process with this test binary's name, this one among them, has used at least
        // what this one had before the sum was read.
        assert!(cpu_seconds_of_all(comm.trim_end()) >= mine);
        assert_eq!(cpu_seconds_of_all("no-such-process-name"), 0.0);
    }
}
