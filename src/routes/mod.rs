//! HTTP: extract, authorise, call a service, map errors. No SQL and no scoring maths here.
//!
//! Each route module registers its own endpoints in its `configure`, through [`Routes`], which
//! records what it registers: [`endpoints`] is that record, so the list the OpenAPI test checks is
//! the list the server serves.
pub mod accounts;
pub mod assessment;
pub mod assessor;
pub mod auth;
pub mod batteries;
pub mod campaigns;
pub mod candidate;
pub mod competencies;
pub mod competency_history;
pub mod competency_results;
pub mod competency_rules;
pub mod discipline;
mod download;
pub mod errors;
pub mod extract;
pub mod health;
pub mod instruments;
pub mod item_analysis;
pub mod item_parameters;
pub mod job_standards;
pub mod metrics;
pub mod norms;
pub mod openapi;
pub mod pages;
pub mod performance;
pub mod proctoring;
pub mod reports;
pub mod sse;

use actix_web::http::Method;
use actix_web::{web, App, FromRequest, Handler, Resource, Responder};

/// Registers every route. Actix matches in registration order, so the order of the modules and of
/// the resources inside each module is part of the routing (`/instruments/import` before
/// `/instruments/{id}`).
pub fn configure(cfg: &mut web::ServiceConfig) {
    register(cfg, &mut Vec::new());
}

/// Every endpoint the server registers, in registration order.
pub fn endpoints() -> Vec<Endpoint> {
    let mut seen = Vec::new();
    // The app is built only to run the registration `configure` runs; it never serves.
    App::new().configure(|cfg| register(cfg, &mut seen));
    seen
}

fn register(cfg: &mut web::ServiceConfig, seen: &mut Vec<Endpoint>) {
    let mut routes = Routes {
        cfg,
        prefix: String::new(),
        seen,
    };
    health::configure(&mut routes);
    metrics::configure(&mut routes);
    openapi::configure(&mut routes);
    routes.scope("/api/v1", |api| {
        // First, the candidates' endpoints: every request is matched against the routes in
        // this order, and trying a route with a path parameter costs a regular-expression
        // match; thousands of candidates answer while a few staff read.
        candidate::configure(api);
        auth::configure(api);
        accounts::configure(api);
        instruments::configure(api);
        item_parameters::configure(api);
        item_analysis::configure(api);
        norms::configure(api);
        batteries::configure(api);
        campaigns::configure(api);
        // The assessment centre: exercises, assessors' assignments and sheets, integration.
        assessment::configure(api);
        assessor::configure(api);
        reports::configure(api);
        competency_history::configure(api);
        competency_results::configure(api);
        competency_rules::configure(api);
        // The competency framework and job competency standards.
        competencies::configure(api);
        job_standards::configure(api);
        proctoring::configure(api);
        performance::configure(api);
        discipline::configure(api);
    });
}

/// One registered endpoint: a method on a path pattern (`/api/v1/instruments/{id}`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Endpoint {
    /// The HTTP method it answers.
    pub method: Method,
    /// The full path pattern, scope prefix included.
    pub path: String,
}

/// Where a route module registers its endpoints; records each one it registers.
pub struct Routes<'a> {
    cfg: &'a mut web::ServiceConfig,
    prefix: String,
    seen: &'a mut Vec<Endpoint>,
}

impl Routes<'_> {
    /// A bare route, as `ServiceConfig::route` makes it: the method guards the whole path, so
    /// other methods are not answered here but fall through to the app's default service (the
    /// pages). Only the operations endpoints (`/health`, `/metrics`…) are registered this way; API
    /// endpoints are a [`resource`](Self::resource).
    pub fn route<F, Args>(&mut self, path: &str, method: Method, handler: F) -> &mut Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.cfg
            .route(path, web::method(method.clone()).to(handler));
        self.record(method, path);
        self
    }

    /// A resource taking the methods `methods` adds; any other method answers 405 in the shared
    /// error shape.
    pub fn resource(&mut self, path: &str, methods: impl FnOnce(Methods) -> Methods) -> &mut Self {
        let Methods { resource, taken } = methods(Methods {
            resource: web::resource(path),
            taken: Vec::new(),
        });
        self.cfg
            .service(resource.default_service(web::to(errors::method_not_allowed)));
        for method in taken {
            self.record(method, path);
        }
        self
    }

    /// A scope whose endpoints `inner` registers; a path under it that nothing matches answers the
    /// JSON 404.
    pub fn scope(&mut self, prefix: &str, inner: impl FnOnce(&mut Routes)) -> &mut Self {
        let full = format!("{}{prefix}", self.prefix);
        let seen = &mut *self.seen;
        let scope = web::scope(prefix)
            .configure(|cfg| {
                inner(&mut Routes {
                    cfg,
                    prefix: full,
                    seen,
                })
            })
            .default_service(web::to(errors::not_found));
        self.cfg.service(scope);
        self
    }

    fn record(&mut self, method: Method, path: &str) {
        self.seen.push(Endpoint {
            method,
            path: format!("{}{path}", self.prefix),
        });
    }
}

/// The methods of one resource, each with its handler.
pub struct Methods {
    resource: Resource,
    taken: Vec<Method>,
}

impl Methods {
    /// Answers GET with `handler`.
    pub fn get<F, Args>(self, handler: F) -> Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.on(Method::GET, handler)
    }

    /// Answers POST with `handler`.
    pub fn post<F, Args>(self, handler: F) -> Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.on(Method::POST, handler)
    }

    /// Answers PUT with `handler`.
    pub fn put<F, Args>(self, handler: F) -> Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.on(Method::PUT, handler)
    }

    /// Answers PATCH with `handler`.
    pub fn patch<F, Args>(self, handler: F) -> Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.on(Method::PATCH, handler)
    }

    /// Answers DELETE with `handler`.
    pub fn delete<F, Args>(self, handler: F) -> Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.on(Method::DELETE, handler)
    }

    fn on<F, Args>(mut self, method: Method, handler: F) -> Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.resource = self.resource.route(web::method(method.clone()).to(handler));
        self.taken.push(method);
        self
    }
}
