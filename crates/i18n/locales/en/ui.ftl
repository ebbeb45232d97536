# The portals' words. Pages use these through `chrome.t(...)`; no page holds literal text.

brand = Accord
skip-to-content = Skip to content
nav-main = Main
nav-partner-center = Partner Center
nav-admin-center = Admin Center
nav-sign-in = Sign in
nav-sign-out = Sign out
nav-language = Language
lang-en = English
lang-ko = 한국어
next-page = Next page
go-home = Go to the start page

home-title = Welcome
home-lead = Partner relationships and delegated administration.
home-partner = For partners: invite customers, see and manage them.
home-admin = For customers: review and manage your partners.
home-agreement = Customer agreement
home-agreement-text = The current version of the customer agreement.

signin-title = Sign in
signin-email = E-mail
signin-password = Password
signin-submit = Sign in

error-page-code = Error code
error-page-not-allowed = Not allowed
error-page-not-allowed-text = This page cannot be used that way. Go back and use the page's own links and buttons.
error-page-internal = Something went wrong
error-page-not-found = Not found
error-page-not-found-text = There is no such page.

agreement-meta = Version { $version }, published { $published }

billing = Billing
billing-accounts = Billing accounts
partners-title = Partner relationships
partners-caption = Partners
partners-agreement-missing = Your organisation has not accepted the current customer agreement.
partners-agreement-read = Read it
partners-empty = Your organisation has no partners yet. Partners invite you by e-mail; you can find one in the partner directory.
col-partner = Partner
col-relationship = Relationship
col-admin-roles = Admin roles
col-admin-end = Admin end date
col-customer = Customer
col-since = Since
col-status = Status
col-asked = Asked
col-addressed-to = Addressed to
col-created = Created
col-expires = Expires
col-actions = Actions

partner-since = Partner since
partner-domain = Domain
partner-location = Location
partner-remove-explain = Removing admin roles ends the partner's delegated admin access at once. The relationship stays: a reseller remains your reseller and stays responsible for support.
partner-remove = Remove admin roles
partner-remove-ask-global-admin = A Global admin can remove this partner's admin roles.
partner-end-contact = To end this relationship, contact { $partner }: a reseller relationship is ended by the partner.
partner-roles-removed = The partner's admin roles were removed. The relationship stays.
partner-accepted = You accepted the customer agreement and authorised { $partner }.

invite-title = Accept agreement & authorise partner
invite-go-partners = Go to your partner relationships
invite-asks = { $partner } ({ $country }) asks to become your partner:
invite-relationship = Relationship
invite-admin-privileges = Admin privileges
invite-expires = Request expires
invite-admin-note = Accepting grants these delegated admin privileges. If you do not want to delegate them, decline the invitation. You can remove them later under Billing → Billing accounts → Partner relationships.
invite-read = Read the
invite-agreement-link = customer agreement
invite-agreement-version = ("{ $title }", version { $version })
invite-agreement-already = already accepted by your organisation
invite-accept-box = I have read and accept the customer agreement
invite-accept = Accept & authorise
invite-cancel = Cancel

anon-title = Partner invitation
anon-invites = { $partner } invites your organisation
anon-lead = { $partner } would like to become your partner. A Global admin of your organisation reviews the request and the customer agreement after signing in.
anon-sign-in = Sign in
anon-sign-in-text = Your organisation already uses Accord.
anon-create = Create your organisation
anon-create-text = You will be its first Global admin.

declined-title = Invitation declined
declined-text = You declined the invitation from { $partner }. Nothing was shared with the partner, and the link no longer works.

signup-title = Create your organisation
signup-lead = { $partner } invited you. Your organisation will be created in the { $cloud }, and you will be its first Global admin.
signup-org-name = Organisation name
signup-domain = Domain
signup-country = Country
signup-admin-name = Your name
signup-admin-email = Your e-mail
signup-password = Password (at least 10 characters)
signup-submit = Create organisation

sent-title = Check your inbox
sent-lead = We sent an e-mail to { $email } about your organisation and the invitation from { $partner }.
sent-hours = Open the link in that e-mail within { $hours } hours to finish creating your organisation. Nothing is created until you do.
sent-have-account = Already have an account?
sent-sign-in-before = You do not need a new organisation:
sent-sign-in = sign in
sent-sign-in-after = and open the invitation link again.
sent-no-email = No e-mail?
sent-no-email-text = It can take a few minutes. Look in your spam or junk folder, and check the address above. If it is wrong,
sent-sign-up-again = sign up again

confirm-lead = Your e-mail address is confirmed. Check the details, then create the organisation to answer the invitation from { $partner }.
confirm-org = Organisation
confirm-domain = Domain
confirm-country = Country
confirm-cloud = Cloud
confirm-admin = First Global admin
confirm-until = This link works until
confirm-submit = Create organisation and sign in
confirm-wrong = Details wrong? Open the invitation link and sign up again; this link then stays unused.

customers-title = Customers
customers-search = Search customers
customers-search-button = Search
customers-empty = No customers yet. Request a reseller relationship to invite one.
customers-no-match = No customer matches "{ $q }".
requests-title = Relationship requests
requests-empty = No requests yet.
requests-revoke = Revoke
requests-revoked = The request was revoked; its link no longer works.
request-new = Request a reseller relationship
request-new-lead = Invite a customer in your country or region to a reseller relationship with you. You will review a draft e-mail with a custom link next.
request-include-admin = Include delegated admin privileges
request-admin-explain = With delegated admin privileges you become Global admin of the customer's directory, with no end date, and can manage its users, licences and services. The customer can remove them at any time. Without them you can only manage the subscriptions you provision.
request-admin-required = Partners in the { $cloud } must include delegated admin privileges.
request-customer-email = Customer's e-mail address (optional)
request-email-language = Language of the e-mail
request-next = Next

draft-title = Review the e-mail
draft-lead = Send this e-mail to the customer. You can edit the text, but keep the link: it connects the customer directly to your account. It works once and expires on { $expires }. Accord stores only a fingerprint of the link, so only this page shows it: keep its address to yourself.
draft-copy-link = Copy link
draft-link = Custom link
draft-subject = Subject
draft-message = Message
draft-link-missing = The message no longer contains the link; put it back before sending.
draft-open-mail = Open in e-mail app
draft-copy = Copy to clipboard
draft-copied = Copied.
draft-copy-failed = Copying is not possible here; select the text and copy it.
draft-done = Done

asked-none = Reseller, no admin privileges
asked-legacy = Reseller & delegated admin (Global admin, no end date)
asked-granular = Reseller & delegated admin ({ $roles } for { $days } days)

confirm-revoke-title = Revoke this request?
confirm-revoke-explain = The link stops working at once and the customer can no longer accept it. This cannot be undone; to invite the customer again, create a new request.
confirm-revoke = Revoke request
confirm-remove-title = Remove { $partner }'s admin roles?
confirm-remove-explain = { $partner } loses its delegated admin access to your organisation at once. The relationship stays. To give admin roles back, the partner must send a new request and a Global admin must accept it.
confirm-decline-title = Decline the invitation from { $partner }?
confirm-decline-explain = The link stops working for good and nothing is shared with { $partner }. To work with this partner later, ask it for a new invitation. If you only want to leave this page, go back instead.
confirm-decline = Decline invitation
confirm-back = Go back
invite-decline = Decline…
requests-revoke-ask = Revoke…
partner-remove-ask = Remove admin roles…
signup-place-region = { $partner } is in { $country } ({ $region }) and works with organisations in these countries.
signup-place-country = { $partner } is in { $country } and works with organisations in that country.
breadcrumb = Breadcrumb
billing-account = Billing account
