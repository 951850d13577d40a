typedef enum {
  NAMEAUTH_OK = 0,
  NAMEAUTH_INVALID_INPUT = 1,
  NAMEAUTH_INVALID_CONFIG = 2,
  NAMEAUTH_TIMEOUT = 3,
  NAMEAUTH_TRANSPORT = 4,
  NAMEAUTH_PROTOCOL = 5,
  NAMEAUTH_INTERNAL = 6,
  NAMEAUTH_NULL_ARGUMENT = 7,
  NAMEAUTH_INVALID_UTF8 = 8,
  NAMEAUTH_BUFFER_TOO_SMALL = 9,
  NAMEAUTH_PANIC = 10,
  NAMEAUTH_CANCELLED = 11,
} nameauth_result;

typedef enum {
  NAMEAUTH_SIGN_CASE_LOWER = 0,
  NAMEAUTH_SIGN_CASE_UPPER = 1,
} nameauth_sign_case;

typedef enum {
  NAMEAUTH_LOG_OFF = 0,
  NAMEAUTH_LOG_ERROR = 1,
  NAMEAUTH_LOG_WARN = 2,
  NAMEAUTH_LOG_INFO = 3,
} nameauth_log_level;

typedef struct nameauth_cancel nameauth_cancel;

typedef struct nameauth_client nameauth_client;

typedef struct nameauth_options nameauth_options;

typedef struct nameauth_verdict nameauth_verdict;

typedef void (*nameauth_log_fn)(void *userdata, uint32_t level, const char *message);

typedef struct {
  size_t size;
  uint64_t calls;
  uint64_t requests;
  uint64_t retries;
  uint64_t connections_opened;
  uint64_t failovers;
  uint64_t verdicts[7];
  uint64_t errors[6];
  uint64_t latency_p50_us;
  uint64_t latency_p90_us;
  uint64_t latency_p99_us;
  uint64_t cancelled;
} nameauth_stats;

const char *nameauth_version(void);

nameauth_result nameauth_cancel_new(nameauth_cancel **out);

void nameauth_cancel_cancel(const nameauth_cancel *cancel);

void nameauth_cancel_free(nameauth_cancel *cancel);

nameauth_result nameauth_verify_with(const nameauth_client *client,
                                     const char *openid,
                                     const char *truename,
                                     const char *creid,
                                     const char *cretype,
                                     const nameauth_cancel *cancel,
                                     uint64_t deadline_ms,
                                     nameauth_verdict **out);

nameauth_result nameauth_client_new(const char *appid,
                                    const char *src,
                                    const char *key,
                                    const nameauth_options *opts,
                                    nameauth_client **out);

nameauth_result nameauth_client_new_from_env(nameauth_client **out);

void nameauth_client_free(nameauth_client *client);

nameauth_result nameauth_verify(const nameauth_client *client,
                                const char *openid,
                                const char *truename,
                                const char *creid,
                                const char *cretype,
                                nameauth_verdict **out);

nameauth_result nameauth_set_log_callback(nameauth_log_fn callback, void *userdata, uint32_t level);

uint32_t nameauth_log_capture(uint32_t level);

size_t nameauth_log_captured(char *buf, size_t buf_len);

nameauth_result nameauth_options_new(nameauth_options **out);

nameauth_result nameauth_options_set(nameauth_options *options,
                                     const char *name,
                                     const char *value);

void nameauth_options_free(nameauth_options *options);

void nameauth_release_pools(void);

const char *nameauth_result_str(uint32_t r);

const char *nameauth_result_kind(uint32_t r);

size_t nameauth_last_error(char *buf, size_t buf_len);

size_t nameauth_last_error_field(char *buf, size_t buf_len);

size_t nameauth_last_error_rule(char *buf, size_t buf_len);

uint16_t nameauth_last_error_http_status(void);

nameauth_result nameauth_sign(const char *appid,
                              const char *openid,
                              const char *src,
                              const char *truename,
                              const char *creid,
                              const char *cretype,
                              const char *key,
                              uint32_t sign_case,
                              char *out,
                              size_t out_len);

nameauth_result nameauth_validate_id(const char *creid);

nameauth_result nameauth_client_stats(const nameauth_client *client, nameauth_stats *out);

const char *nameauth_verdict_code(const nameauth_verdict *v);

const char *nameauth_verdict_reason(const nameauth_verdict *v);

const char *nameauth_verdict_message_zh(const nameauth_verdict *v);

const char *nameauth_verdict_message_en(const nameauth_verdict *v);

const char *nameauth_verdict_advice_zh(const nameauth_verdict *v);

const char *nameauth_verdict_advice_en(const nameauth_verdict *v);

const char *nameauth_verdict_nameauth_status(const nameauth_verdict *v);

const char *nameauth_verdict_notmatch_param(const nameauth_verdict *v);

const char *nameauth_verdict_name_mask(const nameauth_verdict *v);

int64_t nameauth_verdict_error_code(const nameauth_verdict *v);

bool nameauth_verdict_passed(const nameauth_verdict *v);

bool nameauth_verdict_is_config_problem(const nameauth_verdict *v);

void nameauth_verdict_free(nameauth_verdict *v);
