# The Ruby `oauth` gem (the library under twurl) as a client of `oauth1 serve`:
#   ruby client.rb BASE_URL CASES_JSON METHOD:PLACEMENT...
# Placement is the gem's :scheme (:header, :query_string, :body). RSA-SHA1: the gem takes the
# private key (PEM, from the file INTEROP_RSA_KEY) as the consumer secret. See ../python/client.py
# for the steps.
require "json"
require "net/http"
require "uri"
require "oauth"
require "oauth/signature/plaintext"
require "oauth/signature/rsa/sha1"

SCHEME = { "header" => :header, "query" => :query_string, "body" => :body }.freeze

def step(steps, name)
  yield
  steps[name] = "ok"
  true
rescue StandardError, ScriptError => e
  steps[name] = "#{e.class}: #{e.message}"[0, 500]
  false
end

def check(res)
  raise "HTTP #{res.code}: #{res.body.to_s[0, 300]}" unless res.code == "200"
  res
end

def form(pairs)
  pairs.map { |k, v| "#{OAuth::Helper.escape(k)}=#{OAuth::Helper.escape(v)}" }.join("&")
end

def consumer(base, who, method, placement)
  secret = method == "RSA-SHA1" ? File.read(ENV.fetch("INTEROP_RSA_KEY")) : who["consumer_secret"]
  OAuth::Consumer.new(
    who["consumer_key"], secret,
    site: base, scheme: SCHEME.fetch(placement), signature_method: method,
    request_token_path: "/oauth/request_token", authorize_path: "/oauth/authorize",
    access_token_path: "/oauth/access_token", http_method: :post
  )
end

def run(base, cases, method, placement)
  steps = {}
  c = cases["client"]
  consumer = consumer(base, c, method, placement)
  step(steps, "callback") { consumer.get_request_token(oauth_callback: c["awkward_callback"]) }
  step(steps, "secrets") do
    a = cases["client_awkward"]
    token = OAuth::AccessToken.new(consumer(base, a, method, placement), a["token"], a["token_secret"])
    res = check(token.post("/1.1/statuses/update.json", form([["status", a["status"]]]),
                           "Content-Type" => "application/x-www-form-urlencoded"))
    read = JSON.parse(res.body)["text"]
    raise "the provider read status=#{read.inspect}, sent #{a['status'].inspect}" unless read == a["status"]
  end
  request_token = nil
  access_token = nil
  ok = step(steps, "request_token") { request_token = consumer.get_request_token(oauth_callback: c["callback"]) } &&
       step(steps, "authorize") do
         res = Net::HTTP.get_response(URI(request_token.authorize_url))
         loc = res["location"].to_s
         verifier = URI.decode_www_form(URI(loc).query.to_s).to_h["oauth_verifier"]
         raise "HTTP #{res.code}, Location #{loc.inspect}" unless res.code == "302" && verifier
         @verifier = verifier
       end &&
       step(steps, "access_token") { access_token = request_token.get_access_token(oauth_verifier: @verifier) }
  return steps unless ok

  if placement != "body"
    step(steps, "get") { check(access_token.get("/1.1/account/verify_credentials.json?#{form(cases['query'])}")) }
  end
  step(steps, "post") do
    res = check(access_token.post("/1.1/statuses/update.json", form(cases["form"]),
                                  "Content-Type" => "application/x-www-form-urlencoded"))
    sent = cases["form"].assoc("status")[1]
    read = JSON.parse(res.body)["text"]
    raise "the provider read status=#{read.inspect}, sent #{sent.inspect}" unless read == sent
  end
  steps
end

base, cases_path, *combos = ARGV
cases = JSON.parse(File.read(cases_path, encoding: "UTF-8"))
combos.each do |combo|
  method, placement = combo.split(":")
  steps = begin
    run(base, cases, method, placement)
  rescue StandardError => e
    { "error" => "#{e.class}: #{e.message}"[0, 500] }
  end
  puts JSON.generate("method" => method, "placement" => placement, "steps" => steps)
  $stdout.flush
end
