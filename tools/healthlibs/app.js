// One health library, configured as its README shows, serving GET /health.
//   node app.js <library> <healthy|failing> <port>
// Used by tests/e2e/test_health_libraries.py; the libraries are not modified.
'use strict'

const http = require('http')
const express = require('express')

const [library, mode, port] = process.argv.slice(2)
const failing = mode === 'failing'
const app = express()
let server = null

function databaseCheck () {
  // What an application's own check of its database would report.
  return failing ? Promise.reject(new Error('database: connection refused')) : Promise.resolve()
}

if (library === 'express-healthcheck') {
  // README: app.use('/healthcheck', require('express-healthcheck')({ test: ... }))
  app.use('/health', require('express-healthcheck')({
    test: function () {
      if (failing) return { database: 'unreachable' }
    }
  }))
} else if (library === 'express-actuator') {
  // README: app.use(actuator()) serves /actuator/health ({"status":"UP"}); it has no failing mode.
  const actuator = require('express-actuator')
  app.use(actuator({ basePath: '' }))
} else if (library === 'terminus') {
  // README: createTerminus(server, { healthChecks: { '/healthcheck': onHealthCheck } })
  const { createTerminus, HealthCheckError } = require('@godaddy/terminus')
  server = http.createServer(app)
  createTerminus(server, {
    healthChecks: {
      '/health': async function () {
        try {
          await databaseCheck()
          return { database: { status: 'up' } }
        } catch (err) {
          throw new HealthCheckError('healthcheck failed', { database: { status: 'down', message: err.message } })
        }
      }
    }
  })
} else if (library === 'health-connect') {
  // README: app.use('/health', health.HealthEndpoint(healthcheck)) with a registered check.
  const health = require('@cloudnative/health-connect')
  const healthcheck = new health.HealthChecker()
  healthcheck.registerReadinessCheck(new health.ReadinessCheck('database', databaseCheck))
  app.use('/health', health.HealthEndpoint(healthcheck))
} else {
  console.error(`unknown library ${library}`)
  process.exit(2)
}

server = server || http.createServer(app)
server.listen(Number(port), '127.0.0.1', () => console.log(`listening on ${port}`))
