# What went wrong and what to do, for every error code. Values that are codes (clouds,
# statuses, regions, countries, roles) arrive already named in this language.

error-invalid_cursor = The pagination cursor is not valid; start again from the first page.
error-authentication_required = Sign in to continue.
error-invalid_credentials = The e-mail address or password is not correct.
error-invalid_token = The access token is not valid, has expired or was revoked.
error-csrf_failed = The form has expired or did not come from this site; reload the page and try again.
error-not_global_admin = Only a Global admin of your organisation can accept or decline a partner's request. Ask a Global admin to open the link.
error-not_a_partner = This action is for partner organisations; your organisation is not a partner.
error-partner_role_required = Your partner role does not allow this. It needs one of these roles: { $needed }.
error-request_already_used = This invitation has already been used. Ask the partner for a new one if you still need it.
error-request_expired = This invitation has expired. Ask the partner to send a new one.
error-request_revoked = The partner has revoked this invitation. Ask the partner for a new one if you still need it.
error-request_not_pending = Only pending requests can be revoked; this one is { $status }.
error-admin_option_required_in_cloud = Partners in the { $cloud } must include delegated admin privileges in a relationship request.
error-cloud_mismatch = This invitation is for an organisation in the { $partner_cloud }, and your organisation is in the { $customer_cloud }. Partners can only work with customers in their own cloud.
error-region_mismatch = Partners work with customers in their own country or region. This partner is in { $partner_country } ({ $partner_region }); your organisation is in { $customer_country } ({ $customer_region }).
error-self_relationship = An organisation cannot accept its own relationship request.
error-agreement_acceptance_required = Tick "I have read and accept the customer agreement" to accept.
error-no_current_agreement = No customer agreement has been published yet; the operator must publish one before customers can accept requests.
error-domain_taken = The domain { $domain } is already registered to another organisation.
error-email_taken = The e-mail address { $email } is already in use.
error-no_admin_roles = This partner holds no admin roles in your organisation.
error-not_found = No { $what } with that id exists, or it is not visible to you.
error-invalid_text = The { $field } contains a NUL byte or another control character; remove it and try again.
error-operator_role_required = This is for the provider's operators; your account does not hold the operator role.
error-signup_not_possible = We could not create an organisation with these details. If you or your organisation already has an account, sign in with it and open the invitation link again; otherwise ask your organisation's Global admin to accept the invitation.
error-invitation_signup_used = An organisation has already been created with this invitation link. Sign in with that organisation's account to continue, or ask the partner for a new link.
error-signup_link_invalid = This confirmation link does not work: it was already used, it is more than 24 hours old, or it was copied incompletely. Open the invitation link and sign up again.
error-too_many_attempts = Too many unsuccessful attempts. Wait { $minutes ->
        [0] { $seconds ->
            [1] a second
           *[other] { $seconds } seconds
        }
       *[other] about { $minutes } minutes
    }, then try again.
error-too_many_leads = You have sent several requests to partners in a short time. Wait { $minutes ->
        [0] { $seconds ->
            [1] a second
           *[other] { $seconds } seconds
        }
       *[other] about { $minutes } minutes
    }, then send this one again.
error-internal_error = Something went wrong on our side. It has been logged; try again later.

invalid-required = This is required.
invalid-too-long = This is longer than { $max } characters.
invalid-control-characters = This contains control characters.
invalid-not-one-of = "{ $value }" is not valid; expected one of: { $expected }
invalid-country = Choose a country (a two-letter ISO 3166-1 code such as KR or US).
invalid-email = Enter an e-mail address such as name@example.com.
invalid-domain = Enter a domain name such as contoso.example (letters, digits, hyphens and dots).
invalid-password-too-short = The password must have at least { $min } characters.
invalid-password-too-long = The password must have at most { $max } characters.
invalid-no-admin-roles = Choose at least one directory role to request.
invalid-not-an-admin-role = "User" is not an admin role; choose admin roles only.
invalid-duration = The duration must be between 1 and { $max } days.
invalid-auto-extend-global-admin = Auto-extend is not available for grants that include Global admin.
invalid-user-without-role = Give the user at least one role.
invalid-role-not-for-organisation = The role { $role } cannot be given in { $organisation }: partner roles are for partner organisations, the operator role for the provider's own.
invalid-token-days = A token lives from 1 to { $max } days; leave it out for a token without end.
invalid-agreement-empty = The agreement text is empty.
invalid-region = A region is a short name in lower case, digits and underscores, such as asia_pacific.
invalid-limit = The limit must be between 1 and { $max }.
invalid-form-too-large = The form is larger than 64 KiB. Shorten the text and try again.
invalid-unreadable = This could not be read ({ $detail }). Reload the page and try again.
invalid-duration-needs-roles = duration_days and auto_extend apply to granular roles; give admin_roles too.
invalid-roles-need-admin-privileges = admin_roles needs include_admin_privileges: true.
invalid-duration-required = Give duration_days (1 to 730) with admin_roles.
invalid-customer-email-blank = Leave customer_email out, or give an e-mail address such as name@example.com.

problem-invalid = Invalid request
problem-unauthenticated = Authentication required
problem-forbidden = Not allowed
problem-not_found = Not found
problem-conflict = Conflict
problem-gone = No longer available
problem-throttled = Too many attempts

# Answers of the API's transport layer.
error-no_such_endpoint = There is no such endpoint; see /api/v1/openapi.json.
error-method_not_allowed = This endpoint does not answer that method; it answers { $allow }.
error-unsupported_media_type = Send the request body as JSON with Content-Type: application/json.
error-unsupported_media_type_csv = Send the file as the request body with Content-Type: text/csv.
error-payload_too_large = The request body is larger than { $max_kib } KiB.
error-invalid_body = The request body could not be read.
error-invalid_json = The request body is not valid JSON: { $detail }
error-not_an_object = The request body must be a JSON object.
error-invalid_shape = The request body does not match the expected shape: { $detail }
error-invalid_path = The address is not valid: { $detail }
error-invalid_query = The query string is not valid: { $detail }
error-agreement_not_accepted = Your organisation has not accepted version { $version } of the customer agreement. A Global admin accepts it in the Admin Center under Agreement; until then nothing can be bought or provisioned for it.
invalid-no-types = Choose at least one partner type.
invalid-types-need-admin-privileges = The delegated admin and admin types include admin privileges; set include_admin_privileges to true.
error-partner_type_not_offered = Your organisation may not offer the partner type "{ $partner_type }". The provider's operator sets which types each partner offers.
error-partner_type_requires_partner_action = Only a partner that is a delegated admin or admin and nothing else can be deleted by you. Contact { $partner } to end this relationship; you can remove its admin roles yourself.
error-partner_type_required = Only a partner of type "{ $partner_type }" can do this for the customer. Ask the customer to accept a relationship request of that type.
error-active_subscriptions_exist = You still have { $count } active subscriptions for this customer: { $subscriptions }. Cancel them before you end the relationship.
error-idempotency_key_reused = This Idempotency-Key was already used for a different request. Use a new key for a new request.
error-subscription_not_active = This subscription is cancelled; it can no longer be changed.
error-subscription_read_only = { $partner } provisioned this subscription. Only that partner, or a partner holding the Global admin or Billing admin role for the customer, can change it.
invalid-quantity = The quantity must be a whole number from 1 to { $max }.
invalid-quantity-one = This product is sold per subscription; the quantity is 1.
invalid-sku = A product code has 1 to 40 letters, digits, hyphens, underscores or dots, such as M365-BP.
invalid-idempotency-key = An Idempotency-Key has 1 to 255 visible ASCII characters without spaces; a UUID works well.
invalid-product-not-available = The product { $sku } is not sold in this cloud. The product list shows what can be bought.
invalid-no-clouds = Choose at least one cloud the product is sold in.
error-service_request_status_change = A service request that is "{ $from }" cannot become "{ $to }". Requests move from new to in progress to resolved or closed; a resolved one can be reopened; a closed one stays closed.

# Devices (OEM PC) and line-of-business apps
invalid-file-too-large = The file is larger than { $max_kib } KiB. Split it into smaller files.
invalid-csv-unreadable = The file could not be read as CSV ({ $detail }). Save it as CSV in UTF-8 and upload it again.
invalid-csv-header = The first row must name the columns; these are missing: { $missing }. Use the header: Device Serial Number,Windows Product ID,Hardware Hash.
invalid-csv-no-rows = The file has a header but no device rows.
invalid-csv-too-many-rows = One file registers at most { $max } devices. Split the file and upload each part.
invalid-column-count = This row has { $found } cells; the header has { $expected }.
invalid-serial-number = A serial number has 1 to { $max } letters, digits, hyphens, underscores, dots or slashes.
invalid-product-id = A product id has up to { $max } letters, digits and hyphens, or is left empty.
invalid-hardware-hash = A hardware hash is the base64 text the device reports, at most { $max } characters.
invalid-duplicate-row = Row { $first_row } already names this device.
invalid-device-registered = This device is already in the customer's device list.
invalid-app-version = A version has 1 to { $max } letters, digits, dots, hyphens, plus signs or underscores, such as 1.4.2.
invalid-package-url = The package URL must be an https address of at most { $max } characters, without a user name or password.
invalid-app-version-taken = This app already has a version { $version }. Give the new version another label.
error-device_rows_invalid = { $count ->
    [one] One row of the file is not valid, so no device was added. Fix it and upload the whole file again.
   *[other] { $count } rows of the file are not valid, so no device was added. Fix them and upload the whole file again.
}
error-app_status_change = An app version that is "{ $app_from }" cannot become "{ $app_to }". A draft is submitted for approval; the customer approves or rejects a submitted version; a retired app takes no new versions.
device-row-error = Row { $row }, { $field }: { $message }
invalid-base-url = The base URL must be an http or https address of at most { $max } characters, without a user name, query or fragment; leave it empty for this deployment's public URL.

error-capability_required = Your roles in this organisation do not allow you to { $capability }. A customer's admin needs a directory role that allows it; a partner's agent needs such a role granted by the customer and assigned to them by their partner admin.
error-seats_exhausted = All { $seats } licences of { $product } are assigned. Remove a licence from someone else, or ask your partner for more seats.
error-seats_in_use = { $in_use } licences of { $product } are assigned to users, more than the { $seats } seats asked for. Remove licences first, or keep at least { $in_use } seats.
error-last_global_admin = This would leave the organisation without an enabled Global admin. Make another user a Global admin first.
error-own_account = You cannot disable, delete or reset the password of your own account here, or remove your own Global admin role. Ask another admin.
error-no_pending_roles = No role change from this partner is waiting for your consent.

invalid-not-asked = Approve only roles the partner asked for.
invalid-role-not-granted = The customer has not granted your organisation the role "{ $role }". Assign only roles the customer granted.
invalid-not-an-agent = Choose a user of your organisation who holds a partner role other than sales agent.
error-password_change_required = Your password was set by an administrator and must be changed before you continue. Choose a new password.
error-guests_need_partner_type = { $partner } does not work with your organisation as the Partner type, which is what guest accounts come with. Ask { $partner } for a relationship request of type Partner.
error-partner_user_not_found = No user of { $partner } with a partner role has this e-mail address. Ask { $partner } for the address of the person you want to add.
invalid-password-unchanged = Choose a password different from the one you signed in with.
invalid-passwords-differ = The two new passwords are not the same; type the same password twice.
invalid-guest-global-admin = A guest account cannot be Global admin. If the partner needs it, it asks for admin roles and you approve them.
invalid-too-many-guests = A partner can have at most { $max } guest accounts in your organisation; remove one first.
invalid-too-many-items = At most { $max } items are allowed here.
invalid-needed-to-publish = Choose at least one before publishing, so that visitors filtering the directory can find you.
invalid-phone = A phone number may hold only digits, spaces and + - ( ) .
invalid-no-partners-selected = Select at least one partner to contact.
invalid-duplicate-items = A value is named twice; name each once.
