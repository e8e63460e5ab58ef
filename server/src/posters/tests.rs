use std::io::Read;

use super::archive::write_archive;
use super::{render_poster, PosterFormat};
use crate::db::points::PosterPointRow;

fn point(code: &str, department: Option<&str>) -> PosterPointRow {
    PosterPointRow {
        code: code.into(),
        institution: "КЦСОН «Заречье»".into(),
        department: department.map(Into::into),
        org_path: otklik_shared::org::OrgPath::parse("/1/2/").unwrap(),
    }
}

const URL: &str = "https://otklik.example.ru";

#[test]
fn a_poster_is_a_pdf_with_the_same_bytes_every_time() {
    for format in [PosterFormat::A4, PosterFormat::A6] {
        let first = render_poster(&point("mfc-1", Some("Отделение № 2")), URL, format).unwrap();
        let again = render_poster(&point("mfc-1", Some("Отделение № 2")), URL, format).unwrap();
        assert!(first.starts_with(b"%PDF-"), "{format:?}");
        assert!(
            first == again,
            "{format:?}: the bytes differ between two renders"
        );
        assert!(first.len() < 120_000, "{format:?}: {} bytes", first.len());
    }
}

#[test]
fn the_archive_holds_one_pdf_per_point_in_order() {
    let points = [point("b-2", None), point("a-1", Some("Отделение"))];
    let bytes = write_archive(&points, URL, zip::DateTime::default(), Vec::new()).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let names: Vec<_> = zip.file_names().map(|n| n.unwrap().into_owned()).collect();
    assert_eq!(names.len(), 2);
    assert!(names.contains(&"b-2.pdf".to_owned()) && names.contains(&"a-1.pdf".to_owned()));
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let mut pdf = Vec::new();
        entry.read_to_end(&mut pdf).unwrap();
        let code = entry.name().unwrap().trim_end_matches(".pdf").to_owned();
        let p = points.iter().find(|p| p.code == code).unwrap();
        assert!(
            pdf == render_poster(p, URL, PosterFormat::A4).unwrap(),
            "{code}"
        );
    }
}
