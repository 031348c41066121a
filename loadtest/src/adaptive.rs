//! The adaptive scenario: candidates in the demo's adaptive section (`NUM-ADAPTIF`, 20 items at
//! a fixed length so that no candidate finishes early), each step being what a candidate's page
//! does: send the answer to the current item, wait for the acknowledgement (which names the next
//! item, chosen and stored with the answer), then read the section for that item. Steps go out at
//! the fixed rate, spread over the candidates in turn; one candidate's steps never overlap (a
//! step waits for the previous one of its candidate, and that wait counts in its latency).
use std::sync::Arc;

use anyhow::bail;
use serde_json::{json, Value};
use tokio::sync::Mutex;

use super::{open_loop, Api, Args, Room};

/// Items each candidate is given: the section's fixed length.
const LENGTH: u64 = 20;

/// The battery section: the demo's adaptive pool at a fixed length, randomesque among 3.
pub fn section() -> Value {
    json!({"instrument": "NUM-ADAPTIF", "version": 1, "title": {"id": "Numerik adaptif"},
           "time_limit_seconds": 4 * 3600, "item_order": "fixed", "shuffle_options": true,
           "navigation": "forward_only",
           "adaptive": {"min_items": LENGTH, "max_items": LENGTH, "se_target": null,
                        "exposure": {"kind": "randomesque", "k": 3}}})
}

/// Where one candidate is: the item to answer and an option of it, and the next sequence number.
struct Step {
    token: String,
    item: String,
    choice: String,
    seq: u64,
}

/// The current item of a section view and its first option.
fn current(section: &Value) -> Option<(String, String)> {
    let id = section["adaptive"]["current_item"].as_str()?;
    let item = section["items"]
        .as_array()?
        .iter()
        .find(|i| i["id"].as_str() == Some(id))?;
    Some((id.to_owned(), item["options"][0]["id"].as_str()?.to_owned()))
}

/// Runs the steps at `args.rate` for `args.seconds` and prints the report.
pub async fn run(api: &Api, room: Room, args: &Args) -> anyhow::Result<()> {
    let n = room.people.len() as u64;
    if u64::from(args.rate) * args.seconds > n * (LENGTH - 1) {
        bail!(
            "{} steps would exhaust {n} candidates' {LENGTH}-item tests: add candidates",
            u64::from(args.rate) * args.seconds
        );
    }
    let mut steps = Vec::with_capacity(room.people.len());
    for c in room.people {
        let Some((item, choice)) = current(&c.section) else {
            bail!(
                "a started adaptive section without a current item: {}",
                c.section
            );
        };
        steps.push(Arc::new(Mutex::new(Step {
            token: c.token,
            item,
            choice,
            seq: 1,
        })));
    }
    let steps = Arc::new(steps);
    let client = api.client.clone();
    let base = api.base.clone();
    let report = open_loop::run(args.rate, args.seconds, args.max_in_flight, |i| {
        let (client, base, steps) = (client.clone(), base.clone(), steps.clone());
        async move {
            let mut s = steps[(i % n) as usize].lock().await;
            let body = json!({"section": 0, "item": s.item, "seq": s.seq,
                              "response": {"choice": s.choice}});
            let answered = client
                .put(format!("{base}/api/v1/candidate/answers"))
                .bearer_auth(&s.token)
                .json(&body)
                .send()
                .await;
            let Ok(reply) = answered else { return false };
            if !reply.status().is_success() {
                return false;
            }
            let Ok(reply) = reply.json::<Value>().await else {
                return false;
            };
            if reply["adaptive"]["next_item"].is_null() {
                return false;
            }
            let read = client
                .get(format!("{base}/api/v1/candidate/sections/0"))
                .bearer_auth(&s.token)
                .send()
                .await;
            let Ok(section) = read else { return false };
            let Ok(section) = section.json::<Value>().await else {
                return false;
            };
            let Some((item, choice)) = current(&section) else {
                return false;
            };
            if Some(item.as_str()) != reply["adaptive"]["next_item"].as_str() {
                return false;
            }
            s.item = item;
            s.choice = choice;
            s.seq += 1;
            true
        }
    })
    .await?;
    report.print("adaptive steps (answer + next item)");
    Ok(())
}
