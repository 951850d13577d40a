//! What the core costs: the signature beside bare MD5 over the same bytes, building a
//! request and parsing an answer, and a whole verify against the in-process sandbox.
//!
//! `cargo bench --bench core`, then `python3 benches/table.py` for the summary table.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use md5::{Digest, Md5};
use nameauth::request::build_url;
use nameauth::{sign, Client, Params, SignCase, Verdict};
use nameauth_sandbox::{Sandbox, APPID, KEY, SRC};

const PARAMS: Params<'static> = Params {
    appid: "wx2421b1c4370ec43b",
    openid: "oLVPpjqs9BhvzwPj5A-vTYAX3GLc",
    src: "src_9",
    truename: "阿卜杜热合曼·买买提",
    creid: "650102198506151232",
    cretype: "1",
};
const BENCH_KEY: &str = "k3y-with-symbols&=?";
const BODY: &[u8] =
    r#"{"error_code":0,"nameauth_status":"1","name_mask":"*小明","notmatch_param":"1%7C2"}"#
        .as_bytes();

fn signing(c: &mut Criterion) {
    let p = PARAMS;
    let string_to_sign = format!(
        "appid={}&creid={}&cretype={}&openid={}&src={}&truename={}&key={}",
        p.appid, p.creid, p.cretype, p.openid, p.src, p.truename, BENCH_KEY
    );
    let mut g = c.benchmark_group("sign");
    g.bench_function("md5_alone", |b| {
        b.iter(|| Md5::digest(black_box(string_to_sign.as_bytes())))
    });
    g.bench_function("nameauth_sign", |b| {
        b.iter(|| sign(black_box(&p), black_box(BENCH_KEY), SignCase::Lower))
    });
    g.finish();
}

fn build_and_parse(c: &mut Criterion) {
    let mut g = c.benchmark_group("request");
    g.bench_function("build_url", |b| {
        b.iter(|| {
            build_url(
                black_box(nameauth::DEFAULT_ENDPOINT),
                black_box(&PARAMS),
                BENCH_KEY,
                SignCase::Lower,
            )
        })
    });
    g.bench_function("parse_answer", |b| {
        b.iter(|| Verdict::from_body(black_box(BODY)))
    });
    g.bench_function("build_and_parse", |b| {
        b.iter(|| {
            let url = build_url(
                black_box(nameauth::DEFAULT_ENDPOINT),
                black_box(&PARAMS),
                BENCH_KEY,
                SignCase::Lower,
            );
            (url, Verdict::from_body(black_box(BODY)))
        })
    });
    g.finish();
}

fn round_trip(c: &mut Criterion) {
    let sb = Sandbox::builder().start().expect("sandbox starts");
    let client = Client::builder(APPID, SRC, KEY)
        .endpoint(sb.endpoint())
        .build()
        .expect("client builds");
    let mut g = c.benchmark_group("verify");
    g.bench_function("loopback_round_trip", |b| {
        b.iter(|| {
            client
                .verify("oZhangSan", "张三", "110101199003074477")
                .expect("verdict")
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    // Short runs: enough for stable medians on a shared 2-core machine.
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(50);
    targets = signing, build_and_parse, round_trip
}
criterion_main!(benches);
