//! HTTP: extract, authorise, call a service, map errors. No SQL and no scoring maths here.
pub mod accounts;
pub mod auth;
pub mod batteries;
pub mod campaigns;
pub mod candidate;
pub mod errors;
pub mod extract;
pub mod health;
pub mod instruments;
pub mod metrics;
pub mod openapi;
pub mod pages;
pub mod proctoring;
pub mod sse;

use actix_web::web;

/// Registers every route. Resource routes answer 405 in the shared shape for other methods.
pub fn configure(cfg: &mut web::ServiceConfig) {
    let method_not_allowed = || web::to(errors::method_not_allowed);
    cfg.route("/health", web::get().to(health::health))
        .route("/ready", web::get().to(health::ready))
        .route("/metrics", web::get().to(metrics::metrics))
        .route("/api/openapi.json", web::get().to(openapi::document))
        .service(
            web::scope("/api/v1")
                .service(
                    web::resource("/auth/login")
                        .route(web::post().to(auth::login))
                        .default_service(method_not_allowed()),
                )
                .service(
                    web::resource("/auth/logout")
                        .route(web::post().to(auth::logout))
                        .default_service(method_not_allowed()),
                )
                .service(
                    web::resource("/auth/me")
                        .route(web::get().to(auth::me))
                        .default_service(method_not_allowed()),
                )
                .service(
                    web::resource("/accounts")
                        .route(web::get().to(accounts::list))
                        .route(web::post().to(accounts::create))
                        .default_service(method_not_allowed()),
                )
                .service(
                    web::resource("/accounts/{id}/disable")
                        .route(web::post().to(accounts::disable))
                        .default_service(method_not_allowed()),
                )
                .service(
                    web::resource("/accounts/{id}/enable")
                        .route(web::post().to(accounts::enable))
                        .default_service(method_not_allowed()),
                )
                .service(
                    web::resource("/instruments")
                        .route(web::get().to(instruments::list))
                        .default_service(method_not_allowed()),
                )
                .service(
                    web::resource("/instruments/import")
                        .route(web::post().to(instruments::import))
                        .default_service(method_not_allowed()),
                )
                .service(
                    web::resource("/instruments/{id}")
                        .route(web::get().to(instruments::detail))
                        .default_service(method_not_allowed()),
                )
                .service(
                    web::resource("/instruments/{id}/export")
                        .route(web::get().to(instruments::export))
                        .default_service(method_not_allowed()),
                )
                .service(
                    web::resource("/instruments/{id}/assets/{name}")
                        .route(web::get().to(instruments::asset))
                        .default_service(method_not_allowed()),
                )
                .service(
                    web::resource("/instruments/{id}/retire")
                        .route(web::post().to(instruments::retire))
                        .default_service(method_not_allowed()),
                )
                .service(
                    web::resource("/batteries")
                        .route(web::get().to(batteries::list))
                        .route(web::post().to(batteries::create))
                        .default_service(method_not_allowed()),
                )
                .service(
                    web::resource("/batteries/{id}")
                        .route(web::get().to(batteries::get))
                        .default_service(method_not_allowed()),
                )
                .service(
                    web::resource("/campaigns")
                        .route(web::get().to(campaigns::list))
                        .route(web::post().to(campaigns::create))
                        .default_service(method_not_allowed()),
                )
                .service(
                    web::resource("/campaigns/{id}")
                        .route(web::get().to(campaigns::get))
                        .default_service(method_not_allowed()),
                )
                .service(
                    web::resource("/campaigns/{id}/participants")
                        .route(web::get().to(campaigns::participants))
                        .default_service(method_not_allowed()),
                )
                .service(
                    web::resource("/campaigns/{id}/participants/import")
                        .route(web::post().to(campaigns::import))
                        .default_service(method_not_allowed()),
                )
                .service(
                    web::resource("/campaigns/{id}/participants/{participant}/access-code")
                        .route(web::post().to(campaigns::reissue_code))
                        .default_service(method_not_allowed()),
                )
                .service(
                    web::resource("/campaigns/{id}/rescore")
                        .route(web::post().to(campaigns::rescore))
                        .default_service(method_not_allowed()),
                )
                .service(
                    web::resource("/campaigns/{id}/participants/{participant}/unlock")
                        .route(web::post().to(campaigns::unlock))
                        .default_service(method_not_allowed()),
                )
                .service(
                    web::resource("/campaigns/{id}/participants/{participant}/extend")
                        .route(web::post().to(campaigns::extend))
                        .default_service(method_not_allowed()),
                )
                .service(
                    web::resource("/campaigns/{id}/participants/{participant}/timeline")
                        .route(web::get().to(campaigns::timeline))
                        .default_service(method_not_allowed()),
                )
                .service(
                    web::resource("/campaigns/{id}/results")
                        .route(web::get().to(campaigns::results))
                        .default_service(method_not_allowed()),
                )
                .service(
                    web::resource("/campaigns/{id}/access-codes")
                        .route(web::post().to(campaigns::issue_codes))
                        .default_service(method_not_allowed()),
                )
                .service(
                    web::resource("/candidate/login")
                        .route(web::post().to(candidate::login))
                        .default_service(method_not_allowed()),
                )
                .service(
                    web::resource("/candidate/attempt")
                        .route(web::get().to(candidate::attempt))
                        .default_service(method_not_allowed()),
                )
                .service(
                    web::resource("/candidate/consent")
                        .route(web::post().to(candidate::consent))
                        .default_service(method_not_allowed()),
                )
                .service(
                    web::resource("/candidate/sections/{position}")
                        .route(web::get().to(candidate::section))
                        .default_service(method_not_allowed()),
                )
                .service(
                    web::resource("/candidate/sections/{position}/start")
                        .route(web::post().to(candidate::start_section))
                        .default_service(method_not_allowed()),
                )
                .service(
                    web::resource("/candidate/sections/{position}/submit")
                        .route(web::post().to(candidate::submit_section))
                        .default_service(method_not_allowed()),
                )
                .service(
                    web::resource("/candidate/sections/{position}/assets/{handle}")
                        .route(web::get().to(candidate::asset))
                        .default_service(method_not_allowed()),
                )
                .service(
                    web::resource("/candidate/answers")
                        .route(web::put().to(candidate::answer))
                        .default_service(method_not_allowed()),
                )
                .service(
                    web::resource("/candidate/events")
                        .route(web::post().to(candidate::signal))
                        .default_service(method_not_allowed()),
                )
                .service(
                    web::resource("/candidate/stream")
                        .route(web::get().to(candidate::stream))
                        .default_service(method_not_allowed()),
                )
                .service(
                    web::resource("/candidate/messages/{id}/dismiss")
                        .route(web::post().to(candidate::dismiss))
                        .default_service(method_not_allowed()),
                )
                .service(
                    web::resource("/proctoring/sessions")
                        .route(web::get().to(proctoring::sessions))
                        .default_service(method_not_allowed()),
                )
                .service(
                    web::resource("/proctoring/sessions/{id}/room")
                        .route(web::get().to(proctoring::room))
                        .default_service(method_not_allowed()),
                )
                .service(
                    web::resource("/proctoring/sessions/{id}/live")
                        .route(web::get().to(proctoring::live))
                        .default_service(method_not_allowed()),
                )
                .service(
                    web::resource("/proctoring/sessions/{id}/actions")
                        .route(web::post().to(proctoring::act))
                        .default_service(method_not_allowed()),
                )
                .service(
                    web::resource("/proctoring/sessions/{id}/start")
                        .route(web::post().to(proctoring::start))
                        .default_service(method_not_allowed()),
                )
                .service(
                    web::resource("/candidate/finish")
                        .route(web::post().to(candidate::finish))
                        .default_service(method_not_allowed()),
                )
                .default_service(web::to(errors::not_found)),
        );
}
