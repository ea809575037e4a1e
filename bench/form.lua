-- Shared by the wrk scripts that POST forms (loaded with dofile from the repository root, where the bench
-- scripts run wrk): percent-encoding of a form value, and settings that must come from the environment.

function form_encode(value)
  return (value:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function required_env(name)
  local value = os.getenv(name)
  if value == nil or value == "" then
    error(name .. " is not set")
  end
  return value
end
