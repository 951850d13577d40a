//! docs/SPEC.md §5: the verdict table, as data, in this one place.
//!
//! `TABLE` maps (`error_code`, `nameauth_status`, `notmatch_param`) to a [`Reason`];
//! [`REASONS`] gives each reason its code, texts and advice. The first matching row wins
//! and the last rows catch everything, so an unknown answer is `Other`, never `A`.

use std::fmt;

use crate::error::Error;
use crate::response::{self, Answer, NotMatch};

/// The verdict code of the original document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Code {
    /// Verified: the name and ID number match a real-name account.
    A,
    /// The name does not match.
    B,
    /// The ID number does not match.
    C,
    /// Neither matches.
    D,
    /// Not a real-name account, but the name and ID number match police records.
    E,
    /// Not a real-name account (or no such account).
    F,
    /// Anything else: configuration problems, system errors, unrecognised answers.
    Other,
}

impl Code {
    /// `"A"` … `"F"` or `"Other"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Code::A => "A",
            Code::B => "B",
            Code::C => "C",
            Code::D => "D",
            Code::E => "E",
            Code::F => "F",
            Code::Other => "Other",
        }
    }
}

// `Display` for `Code`: its `as_str` name.
crate::error::display_as_str!(Code);

/// Why a verdict is what it is: one per row of docs/SPEC.md §5's table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Reason {
    /// A: 实名验证通过.
    Verified,
    /// B: 姓名错误.
    NameMismatch,
    /// C: 身份证错误.
    IdMismatch,
    /// D: 姓名和身份证都错误.
    NameAndIdMismatch,
    /// E: 非实名认证用户，但输入的身份证和姓名匹配.
    PoliceCheckOnly,
    /// F, status 3: 非实名认证用户.
    NotRealname,
    /// F, status 4: foreign card.
    ForeignCard,
    /// F, status 5: the bank does not support real-name verification.
    BankUnsupported,
    /// F, 51100001: 财付通帐号未注册.
    TenpayAccountUnregistered,
    /// F, 51100002: 未实名认证.
    RealnameUnverified,
    /// F, 51068401: 不存在的用户.
    UserNotFound,
    /// Other, 1000: a parameter was empty.
    EmptyParameter,
    /// Other, 1001: `src` (or `appid`) refused.
    SrcInvalid,
    /// Other, 1002: the signature did not verify.
    SignInvalid,
    /// Other, 1007: the calling IP is not on the allow-list.
    IpUnauthorized,
    /// Other, any other error code.
    SystemError,
    /// Other, error code 0 with a status or notmatch value this table does not know.
    UnexpectedResponse,
}

/// Everything a front end shows for one reason.
#[derive(Debug)]
pub struct ReasonInfo {
    /// The reason.
    pub reason: Reason,
    /// Stable identifier, e.g. `"name_mismatch"`.
    pub id: &'static str,
    /// The verdict code.
    pub code: Code,
    /// Meaning, Chinese (the original document's wording).
    pub message_zh: &'static str,
    /// Meaning, English.
    pub message_en: &'static str,
    /// What the merchant should do, Chinese.
    pub advice_zh: &'static str,
    /// What the merchant should do, English.
    pub advice_en: &'static str,
    /// True for 1000/1001/1002/1007: a problem with the merchant's request or
    /// configuration, never worth retrying.
    pub config_problem: bool,
}

const REBIND_ZH: &str = "请绑定其他银行卡后再试";
const REBIND_EN: &str = "Ask the user to bind another bank card and try again";
const DEPENDS_ZH: &str = "视具体返回值而定";
const DEPENDS_EN: &str = "Depends on the returned values; check error_code and the raw fields";

macro_rules! reasons {
    ($( $reason:ident, $id:literal, $code:ident, $zh:expr, $en:expr, $azh:expr, $aen:expr, $cfg:literal; )*) => {
        /// Every reason with its texts, in the order of [`Reason`]'s variants.
        pub static REASONS: &[ReasonInfo] = &[$(
            ReasonInfo {
                reason: Reason::$reason,
                id: $id,
                code: Code::$code,
                message_zh: $zh,
                message_en: $en,
                advice_zh: $azh,
                advice_en: $aen,
                config_problem: $cfg,
            },
        )*];
    };
}

reasons! {
    Verified, "verified", A, "实名验证通过", "Real-name verification passed", "无", "None", false;
    NameMismatch, "name_mismatch", B, "姓名错误", "The name does not match", "再次输入姓名",
        "Ask the user to enter the name again", false;
    IdMismatch, "id_mismatch", C, "身份证错误", "The ID number does not match", "再次输入身份证",
        "Ask the user to enter the ID number again", false;
    NameAndIdMismatch, "name_and_id_mismatch", D, "姓名和身份证都错误",
        "Neither the name nor the ID number matches", "再次输入姓名和身份证",
        "Ask the user to enter the name and the ID number again", false;
    PoliceCheckOnly, "police_check_only", E, "非实名认证用户，但输入的身份证和姓名匹配",
        "Not a real-name verified user, but the name and ID number entered match",
        REBIND_ZH, REBIND_EN, false;
    NotRealname, "not_realname", F, "非实名认证用户", "Not a real-name verified user",
        REBIND_ZH, REBIND_EN, false;
    ForeignCard, "foreign_card", F, "非实名认证用户（外国卡）",
        "Not a real-name verified user (foreign card)", REBIND_ZH, REBIND_EN, false;
    BankUnsupported, "bank_unsupported", F, "非实名认证用户（银行不支持实名认证）",
        "Not a real-name verified user (the bank does not support real-name verification)",
        REBIND_ZH, REBIND_EN, false;
    TenpayAccountUnregistered, "tenpay_account_unregistered", F, "财付通帐号未注册",
        "The Tenpay account is not registered", REBIND_ZH, REBIND_EN, false;
    RealnameUnverified, "realname_unverified", F, "未实名认证",
        "The account has not completed real-name verification", REBIND_ZH, REBIND_EN, false;
    UserNotFound, "user_not_found", F, "不存在的用户", "No such user", REBIND_ZH, REBIND_EN, false;
    EmptyParameter, "empty_parameter", Other, "参数中有空值", "A request parameter was empty",
        "请输入正确的参数", "Send every parameter with a value (a configuration problem; do not retry)", true;
    SrcInvalid, "src_invalid", Other, "src 参数错误", "The src parameter was refused",
        "请使用微信支付分配的 src 值",
        "Use the src value assigned by WeChat Pay (a configuration problem; do not retry)", true;
    SignInvalid, "sign_invalid", Other, "签名验证错误", "The signature did not verify",
        "检查签名格式",
        "Check the key and the sign case (a configuration problem; do not retry)", true;
    IpUnauthorized, "ip_unauthorized", Other, "IP 未授权", "The calling IP address is not authorised",
        "请联系微信支付调整请求 IP 白名单",
        "Ask WeChat Pay to add this server's IP to the allow-list (a configuration problem; do not retry)", true;
    SystemError, "system_error", Other, "系统错误", "System error", DEPENDS_ZH, DEPENDS_EN, false;
    UnexpectedResponse, "unexpected_response", Other, "无法识别的返回", "Unrecognised response",
        DEPENDS_ZH, DEPENDS_EN, false;
}

impl Reason {
    /// The reason's texts and code.
    pub fn info(self) -> &'static ReasonInfo {
        &REASONS[self as usize]
    }

    /// Stable identifier, e.g. `"name_mismatch"`.
    pub fn id(self) -> &'static str {
        self.info().id
    }

    /// The reason with this identifier.
    pub fn from_id(id: &str) -> Option<Reason> {
        REASONS.iter().find(|r| r.id == id).map(|r| r.reason)
    }
}

/// What one column of a row matches.
#[derive(Debug)]
enum Is<T> {
    Exactly(T),
    Any,
}

/// One row of docs/SPEC.md §5's table.
#[derive(Debug)]
struct Row {
    error_code: ErrorCode,
    status: Is<&'static str>,
    notmatch: Is<NotMatch>,
    reason: Reason,
}

#[derive(Debug)]
enum ErrorCode {
    Exactly(i64),
    NonZero,
}

macro_rules! row {
    ($ec:expr, $st:expr, $nm:expr => $reason:ident) => {
        Row {
            error_code: $ec,
            status: $st,
            notmatch: $nm,
            reason: Reason::$reason,
        }
    };
}

use ErrorCode::{Exactly as Ec, NonZero};
use Is::{Any, Exactly};

/// docs/SPEC.md §5, row for row. First match wins.
static TABLE: &[Row] = &[
    row!(Ec(0), Exactly("1"), Exactly(NotMatch::None) => Verified),
    row!(Ec(0), Exactly("1"), Exactly(NotMatch::Name) => NameMismatch),
    row!(Ec(0), Exactly("1"), Exactly(NotMatch::Id) => IdMismatch),
    row!(Ec(0), Exactly("1"), Exactly(NotMatch::Both) => NameAndIdMismatch),
    row!(Ec(0), Exactly("2"), Exactly(NotMatch::None) => PoliceCheckOnly),
    row!(Ec(0), Exactly("3"), Exactly(NotMatch::None) => NotRealname),
    row!(Ec(0), Exactly("4"), Exactly(NotMatch::None) => ForeignCard),
    row!(Ec(0), Exactly("5"), Exactly(NotMatch::None) => BankUnsupported),
    row!(Ec(51_100_001), Any, Any => TenpayAccountUnregistered),
    row!(Ec(51_100_002), Any, Any => RealnameUnverified),
    row!(Ec(51_068_401), Any, Any => UserNotFound),
    row!(Ec(1000), Any, Any => EmptyParameter),
    row!(Ec(1001), Any, Any => SrcInvalid),
    row!(Ec(1002), Any, Any => SignInvalid),
    row!(Ec(1007), Any, Any => IpUnauthorized),
    row!(NonZero, Any, Any => SystemError),
    row!(Ec(0), Any, Any => UnexpectedResponse),
];

fn lookup(answer: &Answer) -> Reason {
    TABLE
        .iter()
        .find(|row| {
            (match row.error_code {
                ErrorCode::Exactly(c) => answer.error_code == c,
                ErrorCode::NonZero => answer.error_code != 0,
            }) && (match row.status {
                Is::Exactly(s) => answer.nameauth_status == s,
                Is::Any => true,
            }) && (match row.notmatch {
                Is::Exactly(n) => answer.notmatch == n,
                Is::Any => true,
            })
        })
        .map_or(Reason::UnexpectedResponse, |row| row.reason)
}

/// What the server said, mapped to the table: the code, the reason, the texts, and the
/// raw fields. A verdict is only ever built from an answer the server gave.
#[derive(Clone, PartialEq, Eq)]
pub struct Verdict {
    reason: Reason,
    answer: Answer,
}

impl Verdict {
    /// Maps a parsed answer to its verdict.
    pub fn from_answer(answer: Answer) -> Verdict {
        Verdict {
            reason: lookup(&answer),
            answer,
        }
    }

    /// Parses a response body and maps it (`protocol` error if it is malformed).
    pub fn from_body(body: &[u8]) -> Result<Verdict, Error> {
        response::parse(body).map(Verdict::from_answer)
    }

    /// `A` … `F` or `Other`.
    pub fn code(&self) -> Code {
        self.reason.info().code
    }

    /// The row of the table that matched.
    pub fn reason(&self) -> Reason {
        self.reason
    }

    /// True only for `A`.
    pub fn passed(&self) -> bool {
        self.code() == Code::A
    }

    /// True for 1000/1001/1002/1007: the merchant's request or configuration is wrong
    /// (empty parameter, `src`, signature, IP allow-list). Never retry these.
    pub fn is_config_problem(&self) -> bool {
        self.reason.info().config_problem
    }

    /// Meaning, Chinese.
    pub fn message_zh(&self) -> &'static str {
        self.reason.info().message_zh
    }

    /// Meaning, English.
    pub fn message_en(&self) -> &'static str {
        self.reason.info().message_en
    }

    /// What the merchant should do, Chinese.
    pub fn advice_zh(&self) -> &'static str {
        self.reason.info().advice_zh
    }

    /// What the merchant should do, English.
    pub fn advice_en(&self) -> &'static str {
        self.reason.info().advice_en
    }

    /// The server's `error_code`.
    pub fn error_code(&self) -> i64 {
        self.answer.error_code
    }

    /// The server's `nameauth_status`, `""` when absent.
    pub fn nameauth_status(&self) -> &str {
        &self.answer.nameauth_status
    }

    /// The server's `notmatch_param`, normalised to `1`, `2` or `1|2` (other values as
    /// they arrived), `""` when absent.
    pub fn notmatch_param(&self) -> &str {
        &self.answer.notmatch_param
    }

    /// The server's `name_mask` (already masked by the server), `""` when absent.
    pub fn name_mask(&self) -> &str {
        &self.answer.name_mask
    }
}

impl fmt::Debug for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verdict")
            .field("code", &self.code())
            .field("reason", &self.reason.id())
            .field("error_code", &self.answer.error_code)
            .field("nameauth_status", &self.answer.nameauth_status)
            .field("notmatch_param", &self.answer.notmatch_param)
            .field("name_mask", &self.answer.name_mask)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(body: &str) -> Verdict {
        Verdict::from_body(body.as_bytes()).unwrap()
    }

    fn code_and_reason(body: &str) -> (&'static str, &'static str) {
        let v = verdict(body);
        (v.code().as_str(), v.reason().id())
    }

    #[test]
    fn reasons_are_in_variant_order_with_unique_ids() {
        for (i, info) in REASONS.iter().enumerate() {
            assert_eq!(info.reason as usize, i, "{}", info.id);
            assert_eq!(Reason::from_id(info.id), Some(info.reason));
        }
        assert_eq!(REASONS.len(), Reason::UnexpectedResponse as usize + 1);
    }

    /// Every row of docs/SPEC.md §5, with both the string and the number spelling of the fields.
    #[test]
    fn every_row_of_the_table() {
        let rows: &[(&str, &str, &str, &str, &str)] = &[
            ("0", "1", "", "A", "verified"),
            ("0", "1", "1", "B", "name_mismatch"),
            ("0", "1", "2", "C", "id_mismatch"),
            ("0", "1", "1|2", "D", "name_and_id_mismatch"),
            ("0", "1", "2|1", "D", "name_and_id_mismatch"),
            ("0", "1", "1%7C2", "D", "name_and_id_mismatch"),
            ("0", "2", "", "E", "police_check_only"),
            ("0", "3", "", "F", "not_realname"),
            ("0", "4", "", "F", "foreign_card"),
            ("0", "5", "", "F", "bank_unsupported"),
            ("51100001", "", "", "F", "tenpay_account_unregistered"),
            ("51100002", "", "", "F", "realname_unverified"),
            ("51068401", "", "", "F", "user_not_found"),
            ("1000", "", "", "Other", "empty_parameter"),
            ("1001", "", "", "Other", "src_invalid"),
            ("1002", "", "", "Other", "sign_invalid"),
            ("1007", "", "", "Other", "ip_unauthorized"),
            ("9999", "", "", "Other", "system_error"),
            ("-1", "", "", "Other", "system_error"),
            ("0", "6", "", "Other", "unexpected_response"),
            ("0", "", "", "Other", "unexpected_response"),
            ("0", "1", "3", "Other", "unexpected_response"),
            ("0", "2", "1", "Other", "unexpected_response"),
        ];
        for &(ec, st, nm, code, reason) in rows {
            let as_strings = format!(
                r#"{{"error_code":"{ec}","nameauth_status":"{st}","notmatch_param":"{nm}","name_mask":""}}"#
            );
            assert_eq!(code_and_reason(&as_strings), (code, reason), "{as_strings}");
            let st_json = if st.is_empty() {
                "null".into()
            } else {
                st.to_string()
            };
            let as_numbers = format!(
                r#"{{"error_code":{ec},"nameauth_status":{st_json},"notmatch_param":"{nm}"}}"#
            );
            assert_eq!(code_and_reason(&as_numbers), (code, reason), "{as_numbers}");
            let as_jsonp = format!("cb({as_strings});");
            assert_eq!(code_and_reason(&as_jsonp), (code, reason), "{as_jsonp}");
        }
    }

    #[test]
    fn error_codes_decide_whatever_the_other_fields_say() {
        let v = verdict(r#"{"error_code":51100001,"nameauth_status":"1","notmatch_param":""}"#);
        assert_eq!(v.reason(), Reason::TenpayAccountUnregistered);
        let v = verdict(r#"{"error_code":1002,"nameauth_status":"1"}"#);
        assert_eq!(v.reason(), Reason::SignInvalid);
        assert!(v.is_config_problem());
    }

    #[test]
    fn unknown_answers_are_never_a() {
        for body in [
            r#"{"error_code":0}"#,
            r#"{"error_code":0,"nameauth_status":"01"}"#,
            r#"{"error_code":0,"nameauth_status":" 1"}"#,
            r#"{"error_code":0,"nameauth_status":1.0}"#,
            r#"{"error_code":0,"nameauth_status":true}"#,
            r#"{"error_code":0,"nameauth_status":"1","notmatch_param":"0"}"#,
            r#"{"error_code":0,"nameauth_status":"1","notmatch_param":[]}"#,
            r#"{"error_code":0,"nameauth_status":"A"}"#,
        ] {
            let v = verdict(body);
            assert_eq!(v.code(), Code::Other, "{body}");
            assert!(!v.passed());
        }
    }

    #[test]
    fn a_verdict_carries_texts_and_raw_fields() {
        let v = verdict(
            r#"{"error_code":0,"nameauth_status":"1","notmatch_param":"2%7C1","name_mask":"*小明"}"#,
        );
        assert_eq!(v.code(), Code::D);
        assert_eq!(v.message_zh(), "姓名和身份证都错误");
        assert_eq!(v.advice_zh(), "再次输入姓名和身份证");
        assert!(v.message_en().contains("Neither"));
        assert_eq!(v.notmatch_param(), "1|2");
        assert_eq!(v.name_mask(), "*小明");
        assert_eq!(v.nameauth_status(), "1");
        assert_eq!(v.error_code(), 0);
        assert!(!v.passed() && !v.is_config_problem());
        assert!(verdict(r#"{"error_code":0,"nameauth_status":"1"}"#).passed());
    }

    #[test]
    fn texts_follow_the_original_document() {
        let zh: Vec<_> = REASONS
            .iter()
            .map(|r| (r.id, r.message_zh, r.advice_zh))
            .collect();
        assert!(zh.contains(&(
            "police_check_only",
            "非实名认证用户，但输入的身份证和姓名匹配",
            "请绑定其他银行卡后再试"
        )));
        assert!(zh.contains(&(
            "ip_unauthorized",
            "IP 未授权",
            "请联系微信支付调整请求 IP 白名单"
        )));
        assert!(zh.contains(&("system_error", "系统错误", "视具体返回值而定")));
    }
}
