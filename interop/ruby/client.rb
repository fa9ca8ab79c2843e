# The Ruby `oauth` gem (the library under twurl) as a client of `oauth1 serve`:
#   ruby client.rb BASE_URL CASES_JSON METHOD:PLACEMENT...
# Placement is the gem's :scheme (:header, :query_string, :body). See ../python/client.py for
# the steps.
require "json"
require "net/http"
require "uri"
require "oauth"

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

def run(base, cases, method, placement)
  steps = {}
  c = cases["client"]
  consumer = OAuth::Consumer.new(
    c["consumer_key"], c["consumer_secret"],
    site: base, scheme: SCHEME.fetch(placement), signature_method: method,
    request_token_path: "/oauth/request_token", authorize_path: "/oauth/authorize",
    access_token_path: "/oauth/access_token", http_method: :post
  )
  step(steps, "callback") { consumer.get_request_token(oauth_callback: c["awkward_callback"]) }
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
