//! QR codes and posters (`contract.md` §5 «QR codes and posters»), read back by real readers:
//! `rqrr` and `zbarimg` decode the PNG, `rsvg-convert` renders the SVG, `pdftotext`,
//! `pdffonts` and `pdftoppm` + `zbarimg` read the posters. The readers come from Debian's
//! poppler-utils, zbar-tools and librsvg2-bin (`scripts/setup.sh --test` installs them); a
//! missing one fails the test rather than skipping it.

use std::collections::BTreeSet;
use std::io::{Cursor, Read};
use std::path::Path;

use crate::helpers::{assert_error, spawn_app_with, Backend, TestApp};
use crate::on_both_backends;

on_both_backends!(
    the_qr_images_encode_exactly_the_point_url,
    posters_read_back_with_the_name_headline_url_font_and_a_scannable_code,
    posters_zip_streams_one_pdf_per_point_of_the_subtree,
    bad_requests_unknown_points_and_refusals_are_enveloped,
);

/// The public URL the app runs with; the trailing slash is not part of what a code encodes.
const PUBLIC_URL: &str = "https://otklik.example.ru/";

fn url_of(code: &str) -> String {
    format!("https://otklik.example.ru/q/{code}")
}

async fn app(backend: Backend) -> (TestApp, String) {
    let app = spawn_app_with(backend, |s| s.common.public_url = Some(PUBLIC_URL.into())).await;
    app.seed_standard().await;
    let admin = app.admin_token().await;
    (app, admin)
}

async fn get(app: &TestApp, path: &str, token: Option<&str>) -> reqwest::Response {
    let mut req = app.client.get(app.url(path));
    if let Some(token) = token {
        req = req.bearer_auth(token);
    }
    req.send()
        .await
        .unwrap_or_else(|e| panic!("GET {path}: {e}"))
}

/// The body of a 200 reply with this content type.
async fn body_of(res: reqwest::Response, content_type: &str) -> Vec<u8> {
    let status = res.status();
    let got = header(&res, "content-type");
    let bytes = res.bytes().await.expect("a body").to_vec();
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&bytes));
    assert_eq!(got, content_type);
    bytes
}

fn header(res: &reqwest::Response, name: &str) -> String {
    res.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// Runs a reader; its stdout, or a failure naming how to install it.
pub(crate) async fn run(program: &str, args: &[&str]) -> String {
    let out = tokio::process::Command::new(program)
        .args(args)
        .output()
        .await
        .unwrap_or_else(|e| {
            panic!("{program} does not run ({e}): install it with scripts/setup.sh --test")
        });
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// What `zbarimg` reads from an image file: the texts of every code found.
pub(crate) async fn zbar(image: &Path) -> Vec<String> {
    let out = run("zbarimg", &["--quiet", "--raw", path(image)]).await;
    out.lines().map(str::to_owned).collect()
}

pub(crate) fn path(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 temp path")
}

/// The one QR code `rqrr` finds in a PNG, with the PNG's width.
fn rqrr_decode(png_bytes: &[u8]) -> (u32, String) {
    let mut reader = png::Decoder::new(Cursor::new(png_bytes))
        .read_info()
        .expect("a PNG");
    let mut pixels = vec![0; reader.output_buffer_size().expect("a buffer size")];
    let info = reader.next_frame(&mut pixels).expect("a frame");
    assert_eq!(info.color_type, png::ColorType::Grayscale);
    assert_eq!(info.width, info.height, "square");
    let w = info.width as usize;
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(w, info.height as usize, |x, y| {
        pixels[y * w + x]
    });
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in the PNG");
    (info.width, grids[0].decode().expect("rqrr decodes it").1)
}

async fn the_qr_images_encode_exactly_the_point_url(backend: Backend) {
    // Arrange
    let (app, _) = app(backend).await;
    let dir = tempfile::tempdir().expect("a temp dir");

    // Act
    let default = get(&app, "/api/v1/points/a-express/qr.png", None).await;
    let cache = header(&default, "cache-control");
    let default = body_of(default, "image/png").await;
    let small = body_of(
        get(&app, "/api/v1/points/dep-nsi/qr.png?size=100", None).await,
        "image/png",
    )
    .await;
    let svg = get(&app, "/api/v1/points/a-express/qr.svg", None).await;
    let svg_cache = header(&svg, "cache-control");
    let svg = body_of(svg, "image/svg+xml").await;

    // Assert: rqrr and zbarimg read exactly the URL, at the size asked.
    assert_eq!(rqrr_decode(&default), (512, url_of("a-express")));
    assert_eq!(rqrr_decode(&small), (100, url_of("dep-nsi")));
    let png_file = dir.path().join("a-express.png");
    std::fs::write(&png_file, &default).expect("write the PNG");
    assert_eq!(zbar(&png_file).await, [url_of("a-express")]);
    assert!(cache.starts_with("public"), "{cache}");
    assert!(svg_cache.starts_with("public"), "{svg_cache}");
    // The SVG has a viewBox, and rendered by librsvg (which refuses malformed XML) it scans.
    let svg_text = String::from_utf8(svg).expect("UTF-8 SVG");
    assert!(svg_text.contains("viewBox=\"0 0 "), "{svg_text}");
    let svg_file = dir.path().join("a-express.svg");
    let rendered = dir.path().join("a-express-svg.png");
    std::fs::write(&svg_file, &svg_text).expect("write the SVG");
    run(
        "rsvg-convert",
        &["-w", "400", "-o", path(&rendered), path(&svg_file)],
    )
    .await;
    assert_eq!(zbar(&rendered).await, [url_of("a-express")]);
}

async fn posters_read_back_with_the_name_headline_url_font_and_a_scannable_code(backend: Backend) {
    // Arrange: an official of the municipality; `dep-nsi` sits in a department of inst-a.
    let (app, _) = app(backend).await;
    app.add_user(
        "mun-official",
        "official-password-1",
        "official",
        Some("mun"),
    )
    .await;
    let token = app.login("mun-official", "official-password-1").await;
    let dir = tempfile::tempdir().expect("a temp dir");

    for (query, format) in [("", "a4"), ("?format=a4", "a4"), ("?format=a6", "a6")] {
        // Act
        let path_ = format!("/api/v1/points/dep-nsi/poster.pdf{query}");
        let res = get(&app, &path_, Some(&token)).await;
        let disposition = header(&res, "content-disposition");
        let pdf = body_of(res, "application/pdf").await;

        // Assert
        assert!(pdf.starts_with(b"%PDF-"), "{path_}");
        assert!(
            disposition.contains(&format!("poster-dep-nsi-{format}.pdf")),
            "{disposition}"
        );
        let file = dir.path().join(format!("dep-nsi-{format}.pdf"));
        std::fs::write(&file, &pdf).expect("write the PDF");
        let text = run("pdftotext", &[path(&file), "-"]).await;
        // Lines may wrap anywhere a space is: compare with spaces and line ends made one.
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for want in [
            "КЦСОН «Тест», филиал",
            "Отделение на дому",
            "Оцените качество услуг",
            "Наведите камеру телефона на QR-код",
            "Опрос анонимный",
            &url_of("dep-nsi"),
        ] {
            assert!(flat.contains(want), "{format}: {want:?} not in {flat:?}");
        }
        let fonts = run("pdffonts", &[path(&file)]).await;
        let embedded: Vec<&str> = fonts.lines().filter(|l| l.contains("PTSans")).collect();
        assert_eq!(embedded.len(), 2, "{fonts}");
        for line in embedded {
            // name, type, encoding, then emb sub uni and the object's number and generation.
            let columns: Vec<&str> = line.split_whitespace().collect();
            let flags = &columns[columns.len() - 5..columns.len() - 2];
            assert_eq!(
                flags,
                ["yes", "yes", "yes"],
                "embedded, subset, unicode: {fonts}"
            );
        }
        let prefix = dir.path().join(format!("page-{format}"));
        run(
            "pdftoppm",
            &[
                "-r",
                "150",
                "-png",
                "-singlefile",
                path(&file),
                path(&prefix),
            ],
        )
        .await;
        assert_eq!(
            zbar(&prefix.with_extension("png")).await,
            [url_of("dep-nsi")],
            "{format}: the printed code scans"
        );
    }
    // The same request gives the same bytes.
    let once = get(
        &app,
        "/api/v1/points/a-express/poster.pdf?format=a6",
        Some(&token),
    )
    .await;
    let again = get(
        &app,
        "/api/v1/points/a-express/poster.pdf?format=a6",
        Some(&token),
    )
    .await;
    assert!(
        once.bytes().await.unwrap() == again.bytes().await.unwrap(),
        "deterministic"
    );
}

async fn posters_zip_streams_one_pdf_per_point_of_the_subtree(backend: Backend) {
    // Arrange
    let (app, admin) = app(backend).await;

    // Act
    let res = get(&app, "/api/v1/posters.zip?org=mun", Some(&admin)).await;
    let disposition = header(&res, "content-disposition");
    let streamed = res.headers().get("content-length").is_none();
    let bytes = body_of(res, "application/zip").await;

    // Assert: the points of inst-a and its department, and nothing of inst-b or inst-c.
    assert!(streamed, "a stream has no Content-Length");
    assert!(disposition.starts_with("attachment"), "{disposition}");
    assert!(
        disposition.contains("filename=\"posters-mun.zip\""),
        "{disposition}"
    );
    assert!(disposition.contains("filename*=UTF-8''"), "{disposition}");
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("a ZIP");
    let mut names = BTreeSet::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).expect("an entry");
        let name = entry.name().expect("a UTF-8 name").into_owned();
        let mut pdf = Vec::new();
        entry.read_to_end(&mut pdf).expect("the entry reads");
        assert!(pdf.starts_with(b"%PDF-"), "{name}");
        names.insert(name);
    }
    let want: BTreeSet<String> = ["a-express", "a-nok", "a-nsi", "dep-nsi"]
        .iter()
        .map(|c| format!("{c}.pdf"))
        .collect();
    assert_eq!(names, want);
    let region = get(&app, "/api/v1/posters.zip?org=reg", Some(&admin)).await;
    let region = zip::ZipArchive::new(Cursor::new(body_of(region, "application/zip").await));
    assert_eq!(region.expect("a ZIP").len(), 8, "every standard point");
}

async fn bad_requests_unknown_points_and_refusals_are_enveloped(backend: Backend) {
    // Arrange: an official of inst-b (another branch of the region), an observer and an
    // operator of the municipality.
    let (app, admin) = app(backend).await;
    for (login, role, scope) in [
        ("b-official", "official", "inst-b"),
        ("mun-observer", "observer", "mun"),
        ("mun-operator", "operator", "mun"),
    ] {
        app.add_user(login, "staff-password-1", role, Some(scope))
            .await;
    }
    let b = app.login("b-official", "staff-password-1").await;
    let observer = app.login("mun-observer", "staff-password-1").await;
    let operator = app.login("mun-operator", "staff-password-1").await;
    let poster = "/api/v1/points/a-express/poster.pdf";
    let zip = "/api/v1/posters.zip?org=mun";

    // Act + Assert
    for path_ in ["/api/v1/points/nope/qr.svg", "/api/v1/points/nope/qr.png"] {
        assert_error(get(&app, path_, None).await, 404, "unknown_point").await;
    }
    assert_error(
        get(&app, "/api/v1/points/nope/poster.pdf", Some(&admin)).await,
        404,
        "unknown_point",
    )
    .await;
    assert_error(
        get(&app, "/api/v1/posters.zip?org=nope", Some(&admin)).await,
        404,
        "unknown_org",
    )
    .await;
    for size in ["10", "63", "4097"] {
        let res = get(
            &app,
            &format!("/api/v1/points/a-express/qr.png?size={size}"),
            None,
        )
        .await;
        assert_error(res, 422, "invalid_size").await;
    }
    for bad in [
        "/api/v1/points/a-express/qr.png?size=big",
        "/api/v1/points/a-express/qr.png?size=-5",
    ] {
        assert_error(get(&app, bad, None).await, 400, "bad_parameter").await;
    }
    assert_error(
        get(&app, &format!("{poster}?format=a5"), Some(&admin)).await,
        400,
        "bad_parameter",
    )
    .await;
    assert_error(
        get(&app, "/api/v1/posters.zip", Some(&admin)).await,
        400,
        "bad_parameter",
    )
    .await;
    for path_ in [poster, zip] {
        assert_error(get(&app, path_, None).await, 401, "unauthorized").await;
        assert_error(get(&app, path_, Some(&b)).await, 403, "out_of_scope").await;
        assert_error(get(&app, path_, Some(&observer)).await, 403, "forbidden").await;
        assert_error(get(&app, path_, Some(&operator)).await, 403, "forbidden").await;
    }
    // inst-b's official prints inst-b's posters.
    let own = get(&app, "/api/v1/points/b-nok/poster.pdf", Some(&b)).await;
    assert!(body_of(own, "application/pdf").await.starts_with(b"%PDF-"));
}
