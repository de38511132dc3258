#pragma once
// State-level algebra on the corridor layer with Eigen: the origin x host matrix of a corridor
// quantity, and the concentration of each origin's diaspora across destinations.

#include "core/world/world.hpp"

#include <Eigen/Dense>

namespace bridges::core {

/// Dense origin x host matrix of a corridor quantity (countries x countries).
Eigen::MatrixXd corridor_matrix(const World& w, const Eigen::VectorXd& per_corridor);

/// Herfindahl index of each origin's migrant stock over hosts (1: a single destination; 0 for
/// countries that are not origins).
Eigen::VectorXd destination_concentration(const World& w);

} // namespace bridges::core
