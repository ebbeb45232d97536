# 오류 코드별로 무엇이 잘못되었고 어떻게 해야 하는지. 코드 값(클라우드, 상태, 지역, 국가,
# 역할)은 이 언어의 이름으로 전달됩니다.

error-invalid_cursor = 페이지 커서가 올바르지 않습니다. 첫 페이지부터 다시 시작하세요.
error-authentication_required = 계속하려면 로그인하세요.
error-invalid_credentials = 이메일 주소 또는 암호가 올바르지 않습니다.
error-invalid_token = 액세스 토큰이 올바르지 않거나 만료되었거나 취소되었습니다.
error-csrf_failed = 양식이 만료되었거나 이 사이트에서 온 것이 아닙니다. 페이지를 새로 고친 후 다시 시도하세요.
error-not_global_admin = 조직의 전역 관리자만 파트너의 요청을 수락하거나 거절할 수 있습니다. 전역 관리자에게 링크를 열어 달라고 요청하세요.
error-not_a_partner = 파트너 조직만 할 수 있는 작업입니다. 귀하의 조직은 파트너가 아닙니다.
error-partner_role_required = 귀하의 파트너 역할로는 이 작업을 할 수 없습니다. 다음 역할 중 하나가 필요합니다: { $needed }.
error-request_already_used = 이미 사용된 초대입니다. 아직 필요하다면 파트너에게 새 초대를 요청하세요.
error-request_expired = 초대가 만료되었습니다. 파트너에게 새 초대를 보내 달라고 요청하세요.
error-request_revoked = 파트너가 이 초대를 취소했습니다. 아직 필요하다면 파트너에게 새 초대를 요청하세요.
error-request_not_pending = 대기 중인 요청만 취소할 수 있습니다. 이 요청은 { $status } 상태입니다.
error-admin_option_required_in_cloud = { $cloud }의 파트너는 관계 요청에 위임된 관리자 권한을 포함해야 합니다.
error-cloud_mismatch = 이 초대는 { $partner_cloud }의 조직을 위한 것이며 귀하의 조직은 { $customer_cloud }에 있습니다. 파트너는 같은 클라우드의 고객하고만 일할 수 있습니다.
error-region_mismatch = 파트너는 같은 국가 또는 지역 내의 고객과 일합니다. 이 파트너는 { $partner_country }({ $partner_region })에 있고 귀하의 조직은 { $customer_country }({ $customer_region })에 있습니다.
error-self_relationship = 조직은 자신의 관계 요청을 수락할 수 없습니다.
error-agreement_acceptance_required = 수락하려면 "고객 계약을 읽었으며 이에 동의합니다"를 선택하세요.
error-no_current_agreement = 아직 게시된 고객 계약이 없습니다. 고객이 요청을 수락하려면 운영자가 먼저 계약을 게시해야 합니다.
error-domain_taken = { $domain } 도메인은 이미 다른 조직에 등록되어 있습니다.
error-email_taken = { $email } 이메일 주소는 이미 사용 중입니다.
error-no_admin_roles = 이 파트너는 귀하의 조직에서 관리자 역할을 가지고 있지 않습니다.
error-not_found = 해당 ID의 { $what }이(가) 없거나 볼 수 없습니다.
error-invalid_text = { $field }에 NUL 바이트 또는 다른 제어 문자가 있습니다. 제거한 후 다시 시도하세요.
error-operator_role_required = 공급자의 운영자를 위한 기능입니다. 귀하의 계정에는 운영자 역할이 없습니다.
error-signup_not_possible = 이 정보로는 조직을 만들 수 없습니다. 본인 또는 조직에 이미 계정이 있다면 그 계정으로 로그인한 후 초대 링크를 다시 여세요. 그렇지 않다면 조직의 전역 관리자에게 초대를 수락해 달라고 요청하세요.
error-invitation_signup_used = 이 초대 링크로 이미 조직이 만들어졌습니다. 계속하려면 그 조직의 계정으로 로그인하거나 파트너에게 새 링크를 요청하세요.
error-signup_link_invalid = 이 확인 링크는 사용할 수 없습니다. 이미 사용되었거나, 24시간이 지났거나, 일부만 복사되었습니다. 초대 링크를 열고 다시 가입하세요.
error-too_many_attempts = 실패한 시도가 너무 많습니다. { $minutes ->
        [0] { $seconds }초
       *[other] 약 { $minutes }분
    } 후에 다시 시도하세요.
error-too_many_leads = 짧은 시간에 파트너에게 요청을 여러 번 보냈습니다. { $minutes ->
        [0] { $seconds }초
       *[other] 약 { $minutes }분
    } 후에 다시 보내세요.
error-internal_error = 서버에서 문제가 발생했습니다. 기록되었으니 잠시 후 다시 시도하세요.

invalid-required = 필수 항목입니다.
invalid-too-long = { $max }자를 넘을 수 없습니다.
invalid-control-characters = 제어 문자가 포함되어 있습니다.
invalid-not-one-of = "{ $value }"은(는) 올바르지 않습니다. 다음 중 하나여야 합니다: { $expected }
invalid-country = 국가를 선택하세요(KR, US 같은 ISO 3166-1 두 글자 코드).
invalid-email = name@example.com 같은 이메일 주소를 입력하세요.
invalid-domain = contoso.example 같은 도메인 이름을 입력하세요(영문자, 숫자, 하이픈, 점).
invalid-password-too-short = 암호는 { $min }자 이상이어야 합니다.
invalid-password-too-long = 암호는 { $max }자 이하여야 합니다.
invalid-no-admin-roles = 요청할 디렉터리 역할을 하나 이상 선택하세요.
invalid-not-an-admin-role = "사용자"는 관리자 역할이 아닙니다. 관리자 역할만 선택하세요.
invalid-duration = 기간은 1일에서 { $max }일 사이여야 합니다.
invalid-auto-extend-global-admin = 전역 관리자가 포함된 권한에는 자동 연장을 사용할 수 없습니다.
invalid-user-without-role = 사용자에게 역할을 하나 이상 지정하세요.
invalid-role-not-for-organisation = { $organisation }에는 { $role } 역할을 줄 수 없습니다. 파트너 역할은 파트너 조직에만, 운영자 역할은 공급자 조직에만 줄 수 있습니다.
invalid-token-days = 토큰 유효 기간은 1일에서 { $max }일 사이입니다. 기한 없는 토큰이라면 비워 두세요.
invalid-agreement-empty = 계약 내용이 비어 있습니다.
invalid-region = 지역은 asia_pacific처럼 소문자, 숫자, 밑줄로 된 짧은 이름입니다.
invalid-limit = limit는 1에서 { $max } 사이여야 합니다.
invalid-form-too-large = 양식이 64KiB보다 큽니다. 내용을 줄인 후 다시 시도하세요.
invalid-unreadable = 읽을 수 없습니다({ $detail }). 페이지를 새로 고친 후 다시 시도하세요.
invalid-duration-needs-roles = duration_days와 auto_extend는 세분화된 역할에 적용됩니다. admin_roles도 지정하세요.
invalid-roles-need-admin-privileges = admin_roles에는 include_admin_privileges: true가 필요합니다.
invalid-duration-required = admin_roles와 함께 duration_days(1~730)를 지정하세요.
invalid-customer-email-blank = customer_email을 생략하거나 name@example.com 같은 이메일 주소를 지정하세요.

problem-invalid = 잘못된 요청
problem-unauthenticated = 인증 필요
problem-forbidden = 허용되지 않음
problem-not_found = 찾을 수 없음
problem-conflict = 충돌
problem-gone = 더 이상 사용할 수 없음
problem-throttled = 시도 횟수 초과

# API 전송 계층의 응답.
error-no_such_endpoint = 그런 엔드포인트가 없습니다. /api/v1/openapi.json을 참조하세요.
error-method_not_allowed = 이 엔드포인트는 그 메서드에 응답하지 않습니다. 응답하는 메서드: { $allow }.
error-unsupported_media_type = 요청 본문을 Content-Type: application/json인 JSON으로 보내세요.
error-unsupported_media_type_csv = 파일을 Content-Type: text/csv 요청 본문으로 보내세요.
error-payload_too_large = 요청 본문이 { $max_kib }KiB보다 큽니다.
error-invalid_body = 요청 본문을 읽을 수 없습니다.
error-invalid_json = 요청 본문이 올바른 JSON이 아닙니다: { $detail }
error-not_an_object = 요청 본문은 JSON 객체여야 합니다.
error-invalid_shape = 요청 본문이 예상된 형식과 맞지 않습니다: { $detail }
error-invalid_path = 주소가 올바르지 않습니다: { $detail }
error-invalid_query = 쿼리 문자열이 올바르지 않습니다: { $detail }
error-agreement_not_accepted = 귀하의 조직은 고객 계약 버전 { $version }에 동의하지 않았습니다. 전역 관리자가 관리 센터의 계약에서 동의해야 하며, 그 전에는 이 조직을 위해 아무것도 구매하거나 프로비저닝할 수 없습니다.
invalid-no-types = 파트너 유형을 하나 이상 선택하세요.
invalid-types-need-admin-privileges = 위임된 관리자 및 관리자 유형에는 관리자 권한이 포함됩니다. include_admin_privileges를 true로 지정하세요.
error-partner_type_not_offered = 귀하의 조직은 "{ $partner_type }" 파트너 유형을 제공할 수 없습니다. 각 파트너가 제공할 수 있는 유형은 공급자의 운영자가 정합니다.
error-partner_type_requires_partner_action = 위임된 관리자 또는 관리자이기만 한 파트너만 직접 삭제할 수 있습니다. 이 관계를 끝내려면 { $partner }에 문의하세요. 관리자 역할은 직접 제거할 수 있습니다.
error-partner_type_required = "{ $partner_type }" 유형의 파트너만 고객을 위해 이 작업을 할 수 있습니다. 고객에게 해당 유형의 관계 요청을 수락해 달라고 요청하세요.
error-active_subscriptions_exist = 이 고객에 대해 활성 구독이 아직 { $count }개 있습니다: { $subscriptions }. 관계를 끝내기 전에 구독을 취소하세요.
error-idempotency_key_reused = 이 Idempotency-Key는 이미 다른 요청에 사용되었습니다. 새 요청에는 새 키를 사용하세요.
error-subscription_not_active = 이 구독은 취소되어 더 이상 변경할 수 없습니다.
error-subscription_read_only = 이 구독은 { $partner }에서 프로비저닝했습니다. 해당 파트너 또는 고객의 전역 관리자나 청구 관리자 역할을 가진 파트너만 변경할 수 있습니다.
invalid-quantity = 수량은 1에서 { $max } 사이의 정수여야 합니다.
invalid-quantity-one = 이 제품은 구독 단위로 판매되므로 수량은 1입니다.
invalid-sku = 제품 코드는 문자, 숫자, 하이픈, 밑줄 또는 점 1~40자입니다(예: M365-BP).
invalid-idempotency-key = Idempotency-Key는 공백 없는 ASCII 문자 1~255자입니다. UUID를 사용하면 좋습니다.
invalid-product-not-available = { $sku } 제품은 이 클라우드에서 판매되지 않습니다. 구매할 수 있는 제품은 제품 목록에서 확인하세요.
invalid-no-clouds = 제품을 판매할 클라우드를 하나 이상 선택하세요.
error-service_request_status_change = "{ $from }" 상태의 서비스 요청은 "{ $to }" 상태가 될 수 없습니다. 요청은 새 요청에서 진행 중, 해결됨 또는 닫힘으로 이동하며, 해결된 요청은 다시 열 수 있고 닫힌 요청은 닫힌 상태로 유지됩니다.

# 장치(OEM PC) 및 LOB 앱
invalid-file-too-large = 파일이 { $max_kib }KiB보다 큽니다. 더 작은 파일로 나누세요.
invalid-csv-unreadable = 파일을 CSV로 읽을 수 없습니다({ $detail }). UTF-8 CSV로 저장한 다음 다시 업로드하세요.
invalid-csv-header = 첫 번째 행에 열 이름이 있어야 합니다. 누락된 열: { $missing }. 머리글은 Device Serial Number,Windows Product ID,Hardware Hash를 사용하세요.
invalid-csv-no-rows = 파일에 머리글만 있고 장치 행이 없습니다.
invalid-csv-too-many-rows = 파일 하나로 등록할 수 있는 장치는 최대 { $max }개입니다. 파일을 나누어 각각 업로드하세요.
invalid-column-count = 이 행의 셀은 { $found }개이고 머리글의 열은 { $expected }개입니다.
invalid-serial-number = 일련 번호는 문자, 숫자, 하이픈, 밑줄, 점 또는 슬래시 1~{ $max }자입니다.
invalid-product-id = 제품 ID는 문자, 숫자, 하이픈 최대 { $max }자이거나 비워 둡니다.
invalid-hardware-hash = 하드웨어 해시는 장치가 보고하는 base64 텍스트이며 최대 { $max }자입니다.
invalid-duplicate-row = { $first_row }행에 이미 이 장치가 있습니다.
invalid-device-registered = 이 장치는 이미 고객의 장치 목록에 있습니다.
invalid-app-version = 버전은 문자, 숫자, 점, 하이픈, 더하기 기호 또는 밑줄 1~{ $max }자입니다(예: 1.4.2).
invalid-package-url = 패키지 URL은 사용자 이름이나 암호가 없는 https 주소이며 최대 { $max }자입니다.
invalid-app-version-taken = 이 앱에는 이미 { $version } 버전이 있습니다. 새 버전에 다른 이름을 지정하세요.
error-device_rows_invalid = 파일의 { $count }개 행이 올바르지 않아 장치를 하나도 추가하지 않았습니다. 해당 행을 고친 다음 전체 파일을 다시 업로드하세요.
error-app_status_change = "{ $app_from }" 상태의 앱 버전은 "{ $app_to }" 상태가 될 수 없습니다. 초안은 승인을 위해 제출하고, 제출된 버전은 고객이 승인하거나 거부하며, 사용 중지된 앱에는 새 버전을 추가할 수 없습니다.
device-row-error = { $row }행, { $field }: { $message }
invalid-base-url = 기본 URL은 사용자 이름, 쿼리, 조각이 없는 최대 { $max }자의 http 또는 https 주소여야 합니다. 이 배포의 공개 URL을 사용하려면 비워 두세요.

error-capability_required = 이 조직에서 가진 역할로는 다음 작업을 할 수 없습니다: { $capability }. 고객 관리자에게는 이를 허용하는 디렉터리 역할이 필요하고, 파트너 에이전트에게는 고객이 부여하고 파트너 관리자가 할당한 해당 역할이 필요합니다.
error-seats_exhausted = { $product }의 라이선스 { $seats }개가 모두 할당되었습니다. 다른 사용자의 라이선스를 제거하거나 파트너에게 라이선스를 더 요청하세요.
error-seats_in_use = { $product }의 라이선스 { $in_use }개가 사용자에게 할당되어 있어 요청한 { $seats }개보다 많습니다. 먼저 라이선스를 제거하거나 { $in_use }개 이상을 유지하세요.
error-last_global_admin = 이렇게 하면 조직에 사용 가능한 전역 관리자가 없게 됩니다. 먼저 다른 사용자를 전역 관리자로 지정하세요.
error-own_account = 여기서는 자신의 계정을 사용 안 함으로 설정하거나 삭제하거나 암호를 재설정할 수 없으며, 자신의 전역 관리자 역할도 제거할 수 없습니다. 다른 관리자에게 요청하세요.
error-no_pending_roles = 이 파트너의 역할 변경 중 동의를 기다리는 것이 없습니다.

invalid-not-asked = 파트너가 요청한 역할만 승인하세요.
invalid-role-not-granted = 고객이 귀하의 조직에 "{ $role }" 역할을 부여하지 않았습니다. 고객이 부여한 역할만 할당하세요.
invalid-not-an-agent = 영업 에이전트가 아닌 파트너 역할을 가진 조직 사용자를 선택하세요.
error-password_change_required = 관리자가 설정한 암호이므로 계속하기 전에 변경해야 합니다. 새 암호를 선택하세요.
error-guests_need_partner_type = { $partner }은(는) 조직과 파트너(Partner) 유형으로 일하지 않습니다. 게스트 계정은 이 유형과 함께 제공됩니다. { $partner }에 파트너 유형의 관계 요청을 요청하세요.
error-partner_user_not_found = 이 전자 메일 주소를 가진, 파트너 역할이 있는 { $partner } 사용자가 없습니다. 추가할 사람의 주소를 { $partner }에 문의하세요.
invalid-password-unchanged = 로그인할 때 사용한 암호와 다른 암호를 선택하세요.
invalid-passwords-differ = 두 새 암호가 같지 않습니다. 같은 암호를 두 번 입력하세요.
invalid-guest-global-admin = 게스트 계정은 전역 관리자가 될 수 없습니다. 파트너에게 필요하면 파트너가 관리자 역할을 요청하고 사용자가 승인합니다.
invalid-too-many-guests = 한 파트너는 조직에 게스트 계정을 최대 { $max }개까지 가질 수 있습니다. 먼저 하나를 제거하세요.
invalid-too-many-items = 여기에는 최대 { $max }개까지 입력할 수 있습니다.
invalid-needed-to-publish = 게시하기 전에 하나 이상 선택하세요. 그래야 디렉터리에서 필터로 찾는 방문자가 찾을 수 있습니다.
invalid-phone = 전화 번호에는 숫자, 공백과 + - ( ) . 만 사용할 수 있습니다.
invalid-no-partners-selected = 연락할 파트너를 하나 이상 선택하세요.
invalid-duplicate-items = 같은 값이 두 번 있습니다. 각 값은 한 번만 입력하세요.
