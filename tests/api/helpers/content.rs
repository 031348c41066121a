//! Item-bank content tests import.
use serde_json::Value;

use super::TestApp;

/// A small valid instrument document exercising several formats and an SVG asset.
pub fn sample_instrument(code: &str, version: u32) -> Value {
    serde_json::json!({
        "format": "meritest.instrument/1", "code": code, "version": version, "kind": "cognitive",
        "name": {"id": "Deret Angka Uji", "en": "Test Number Series"},
        "instructions": {"id": "Pilih jawaban yang benar.", "en": "Choose the right answer."},
        "source": "Original, meritest tests, CC0",
        "likert_anchors": [{"id": "Tidak setuju"}, {"id": "Netral"}, {"id": "Setuju"}],
        "scales": [{"code": "NUM", "name": {"id": "Numerik", "en": "Numerical"}}, {"code": "PRF", "name": {"id": "Preferensi"}}],
        "assets": [{"name": "fig-1.svg", "media_type": "image/svg+xml",
                    "svg": "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><circle cx=\"5\" cy=\"5\" r=\"4\"/></svg>"}],
        "items": [
            {"code": "P-1", "format": "single_choice", "scale": "NUM", "practice": true, "stem": {"id": "1, 2, 3, …"},
             "options": [{"id": "a", "text": {"id": "4"}}, {"id": "b", "text": {"id": "5"}}], "key": "a"},
            {"code": "NS-1", "format": "single_choice", "scale": "NUM", "image": "fig-1.svg", "stem": {"id": "2, 4, 8, …"},
             "options": [{"id": "a", "text": {"id": "16"}}, {"id": "b", "image": "fig-1.svg"}], "key": "a"},
            {"code": "AR-1", "format": "numeric_entry", "scale": "NUM", "stem": {"id": "15% dari 240?"}, "answer": 36, "tolerance": 0},
            {"code": "LK-1", "format": "likert", "scale": "PRF", "reverse": true, "stem": {"id": "Saya suka angka."}}
        ],
        "norms": [{"scale": "NUM", "group": "umum", "name": {"id": "Umum (ilustratif)"}, "illustrative": true,
                   "method": "illustrative", "n": 100, "mean": 1.0, "sd": 0.7,
                   "table": [{"raw": 0, "pr": 10.0}, {"raw": 1, "pr": 50.0}, {"raw": 2, "pr": 90.0}]}]
    })
}

/// Imports a document and returns the new instrument's id.
pub async fn import(app: &TestApp, token: &str, doc: &Value) -> String {
    let res = app
        .post_json("/api/v1/instruments/import", token, doc)
        .await;
    assert_eq!(res.status(), 201);
    let body: Value = res.json().await.unwrap();
    body["id"].as_str().unwrap().to_owned()
}

/// The exported document of a demo instrument (keys included), through the HR API.
pub async fn document(app: &TestApp, hr: &str, code: &str) -> Value {
    let list: Value = app
        .get("/api/v1/instruments", hr)
        .await
        .json()
        .await
        .unwrap();
    let id = list["instruments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == code)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.get(&format!("/api/v1/instruments/{id}/export"), hr)
        .await
        .json()
        .await
        .unwrap()
}

/// The opaque id of the option of `item` (candidate view) whose text equals that of the
/// document's option `original`.
pub fn option_like(view_item: &Value, doc_item: &Value, original: &str) -> String {
    let text = doc_item["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == original)
        .unwrap()["text"]["id"]
        .clone();
    view_item["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["text"]["id"] == text)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The id of the instrument with this code (and version 1), as `token` lists them.
pub async fn instrument_id(app: &TestApp, token: &str, code: &str) -> String {
    let list: Value = app
        .get("/api/v1/instruments", token)
        .await
        .json()
        .await
        .unwrap();
    list["instruments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == code)
        .unwrap_or_else(|| panic!("no instrument {code}: {list}"))["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The id of the demo's closed campaign of `n` synthetic participants, as HR (`token`) lists them.
pub async fn synthetic_campaign_id(app: &TestApp, token: &str, n: u32) -> String {
    let name = meritest::services::demo::results::campaign_name(n);
    let list: Value = app
        .get("/api/v1/campaigns", token)
        .await
        .json()
        .await
        .unwrap();
    list["campaigns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name.as_str())
        .unwrap_or_else(|| panic!("no campaign {name}: {list}"))["id"]
        .as_str()
        .unwrap()
        .to_owned()
}
